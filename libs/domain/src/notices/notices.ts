import { ANNOUNCED_FIELDS, type AnnouncedField, type IncidentSummary } from './incident-summary.js';

/** The outbound event types (INTERFACES.md, Additions of 7 December 2026). */
export const NOTICE_TYPES = ['incident.opened', 'incident.updated', 'incident.resolved', 'incident.merged', 'rca.drafted'] as const;
export type NoticeType = (typeof NOTICE_TYPES)[number];

/** What changed about an incident, as one notice says it. */
export interface IncidentChange {
  type: 'incident.opened' | 'incident.updated' | 'incident.resolved';
  /** The announced fields that differ from the last notice (all of them for `incident.opened`). */
  changed: AnnouncedField[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The notices between what was last announced about an incident (`before`, null when nothing was) and its
 * summary now. The first notice is always `incident.opened`, so a receiver never hears of an incident it
 * was not told opened, even when the first state seen is already resolved (then `incident.resolved`
 * follows). A resolution is `incident.resolved`; any other change of an announced field (a reopening
 * included) is `incident.updated`; anything else (notes, figures, milestones) is no notice.
 */
export function noticesBetween(before: IncidentSummary | null, after: IncidentSummary): IncidentChange[] {
  if (before === null) {
    const opened: IncidentChange = { type: 'incident.opened', changed: [...ANNOUNCED_FIELDS] };
    return after.open ? [opened] : [opened, { type: 'incident.resolved', changed: ['status'] }];
  }
  const changed = ANNOUNCED_FIELDS.filter((field) => !same(before[field], after[field]));
  if (before.open && !after.open) return [{ type: 'incident.resolved', changed }];
  return changed.length > 0 ? [{ type: 'incident.updated', changed }] : [];
}
