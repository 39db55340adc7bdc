import { MILESTONE_NAMES } from '../projection/milestones.js';
import type { IncidentState } from '../projection/state.js';
import type { TimelineRow } from './rca-view.js';
import { singleLine } from './markdown-escape.js';
import { missingLine, NOT_RECORDED, recordedLine, utcClock, type ViewLine } from './text.js';

/** Recorded milestones in time order, then the ones the log lacks, marked not recorded. */
export function timelineRows(state: IncidentState, incidentDay: string): TimelineRow[] {
  const recorded = state.milestones.map((m) => ({ time: utcClock(m.at, incidentDay), event: m.name, eventId: m.eventId }));
  const seen = new Set<string>(state.milestones.map((m) => m.name));
  const missing = MILESTONE_NAMES.filter((name) => !seen.has(name)).map((name) => ({ time: NOT_RECORDED, event: name, eventId: null }));
  return [...recorded, ...missing];
}

/** Mermaid's timeline splits on `:` and treats `#` specially, so periods read `15h28`. */
export function mermaidTimeline(state: IncidentState, title: string, incidentDay: string) {
  // Mermaid splits timeline entries on `:`, and a backtick or angle bracket could end the code block or open a tag.
  // `%%` starts a Mermaid comment; control and bidi characters go with singleLine.
  const clean = (text: string) => singleLine(text).replace(/[:#;%`<>]+/g, ' ').trim();
  return {
    title: clean(title),
    entries: state.milestones.map((m) => ({ period: utcClock(m.at, incidentDay).replace(':', 'h'), event: clean(m.name) })),
  };
}

function minutesLine(label: string, minutes: number | null): ViewLine {
  return minutes === null ? missingLine(`${label}: ${NOT_RECORDED}`) : recordedLine(`${label}: ${minutes} minutes`);
}

export function keyMetricLines(state: IncidentState): ViewLine[] {
  const d = state.durations;
  return [
    minutesLine('Time to detect', d.timeToDetectMinutes),
    minutesLine('Time to acknowledge', d.timeToAcknowledgeMinutes),
    minutesLine('Time to mitigate', d.timeToMitigateMinutes),
    minutesLine('Time to resolve', d.timeToResolveMinutes),
  ];
}
