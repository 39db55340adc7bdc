import type { ViewLine } from './text.js';

/*
 * Everything the RCA template needs, already formatted. Text from events is escaped for
 * markdown (see markdown-escape.ts): list items and sentences with escapeInline, table cells
 * with escapeTableCell, wiki-link labels with escapeWikiLabel, `frontmatter` values are YAML
 * scalars. Dates, clock times, P-levels, statuses, numbers and service names (regex-checked
 * at ingestion) need no escaping. A figure missing from the log is a line saying
 * `_not recorded_` (`recorded: false`); lists are never empty for the same reason.
 */

export interface NumberedLine extends ViewLine {
  number: number;
}

export interface TimelineRow {
  time: string;
  event: string;
  eventId: string | null;
}

export interface ActionItemRow {
  priority: string;
  action: string;
  owner: string;
  dueDate: string;
  recorded: boolean;
}

export interface AppendixRow {
  figure: string;
  value: string;
  eventIds: string;
}

/** A retraction, for the appendix: the retracted event, who retracted it, when and why. */
export interface RetractionRow {
  eventId: string;
  eventType: string;
  /** When the retracted event said it happened. */
  eventTime: string;
  actor: string;
  time: string;
  reason: string;
  retractionId: string;
}

/** An incident merged into this one by a person (`incident.merged`). */
export interface MergeRow {
  from: string;
  actor: string;
  time: string;
  eventId: string;
}

export interface RcaFrontmatter {
  title: string;
  date: string;
  severity: string;
  services: string;
  tags: string;
  status: string;
  durationMinutes: string;
  author: string;
}

export interface RcaView {
  slug: string;
  /** `rca-<date>-<slug>.md` */
  fileName: string;
  date: string;
  title: string;
  /** `<date> - <title>`, the H1 and the front matter title. */
  heading: string;
  frontmatter: RcaFrontmatter;
  severity: string;
  status: string;
  durationMinutes: string;
  author: string;
  services: string[];
  tags: string[];
  summary: string;
  timeline: TimelineRow[];
  keyMetrics: ViewLine[];
  mermaid: { title: string; entries: { period: string; event: string }[] };
  rootCause: { recorded: boolean; sentence: string; factorsIntro: string; factors: NumberedLine[] };
  impact: ViewLine[];
  affectedServices: string[];
  customerImpact: ViewLine[];
  resolution: NumberedLine[];
  lessons: { wentWell: ViewLine[]; toImprove: ViewLine[] };
  actionItems: ActionItemRow[];
  related: ViewLine[];
  preparedBy: string;
  preparedOn: string;
  /** `*RCA prepared by <team> on <date>*` */
  footer: string;
  appendix: AppendixRow[];
  /** Retractions (empty when none): the record was corrected, never rewritten. */
  retractions: RetractionRow[];
  /** Incidents merged into this one (empty when none). */
  merges: MergeRow[];
}

export interface RcaOptions {
  /** YYYY-MM-DD, injected: the core never reads the clock. */
  preparedOn: string;
  related?: { previous?: { date: string; slug: string } };
}
