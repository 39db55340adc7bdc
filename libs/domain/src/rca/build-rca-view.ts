import type { IncidentState } from '../projection/state.js';
import { appendixRows, mergeRows, retractionRows } from './appendix-section.js';
import { customerImpactLines, impactLines, rootCauseSection, summarySentence } from './findings-section.js';
import { actionItemRows, lessonSections, relatedLinks, resolutionLines } from './follow-up-section.js';
import { incidentDate, incidentSlug, incidentTitle } from './identity.js';
import { escapeInline, yamlList, yamlQuoted, yamlScalar } from './markdown-escape.js';
import type { RcaOptions, RcaView } from './rca-view.js';
import { NOT_RECORDED, slugify } from './text.js';
import { keyMetricLines, mermaidTimeline, timelineRows } from './timeline-section.js';

/** Tags: rca, the severity and the root cause category, each only when recorded. */
function tagsOf(state: IncidentState): string[] {
  const tags = ['rca', state.severity?.value.toLowerCase(), state.rootCause ? slugify(state.rootCause.category) : undefined];
  return tags.filter((tag): tag is string => Boolean(tag));
}

/** The RCA draft's content, formatted and escaped, for a dumb template. */
export function buildRcaView(state: IncidentState, options: RcaOptions): RcaView {
  const date = incidentDate(state);
  const rawTitle = incidentTitle(state);
  const title = escapeInline(rawTitle);
  const heading = `${date} - ${title}`;
  const slug = incidentSlug(state);
  const severity = state.severity?.value ?? NOT_RECORDED;
  const durationMinutes = state.durations.durationMinutes === null ? NOT_RECORDED : String(state.durations.durationMinutes);
  const author = state.team ? escapeInline(state.team.value) : NOT_RECORDED;
  const tags = tagsOf(state);
  return {
    slug,
    fileName: `rca-${date}-${slug}.md`,
    date,
    title,
    heading,
    frontmatter: {
      title: yamlQuoted(`${date} - ${rawTitle}`),
      // a real date and a number are meant as YAML date and integer, so they stay unquoted
      date: date === NOT_RECORDED ? yamlQuoted(date) : date,
      severity: yamlScalar(severity),
      services: yamlList(state.services),
      tags: yamlList(tags),
      status: state.status,
      durationMinutes: durationMinutes === NOT_RECORDED ? yamlQuoted(durationMinutes) : durationMinutes,
      author: yamlScalar(state.team?.value ?? NOT_RECORDED),
    },
    severity,
    status: state.status,
    durationMinutes,
    author,
    services: state.services,
    tags,
    summary: summarySentence(state, date),
    timeline: timelineRows(state, date),
    keyMetrics: keyMetricLines(state),
    mermaid: mermaidTimeline(state, rawTitle, date),
    rootCause: rootCauseSection(state),
    impact: impactLines(state),
    affectedServices: state.services,
    customerImpact: customerImpactLines(state),
    resolution: resolutionLines(state),
    lessons: lessonSections(state),
    actionItems: actionItemRows(state),
    related: relatedLinks(state, date, options),
    preparedBy: author,
    preparedOn: escapeInline(options.preparedOn),
    footer: `*RCA prepared by ${author} on ${escapeInline(options.preparedOn)}*`,
    appendix: appendixRows(state, date),
    retractions: retractionRows(state, date),
    merges: mergeRows(state, date),
  };
}
