import type { IncidentSummary, NoticeType } from '@app/domain';

/** What a person reads first about an incident: its title, else its id. */
export const incidentTitle = (summary: IncidentSummary) => summary.title ?? summary.id;

export const HEADLINES: Record<NoticeType, string> = {
  'incident.opened': 'Incident opened',
  'incident.updated': 'Incident updated',
  'incident.resolved': 'Incident resolved',
  'incident.merged': 'Incident merged',
  'rca.drafted': 'RCA draft ready',
};

/** `15:28 UTC` for today's milestones in a chat: the date is the incident's, shown where it starts. */
export const clockTime = (at: string) => `${at.slice(11, 16)} UTC`;

/** A short list for a phone screen: the first few, then how many more. */
export function shortList(items: readonly string[], shown = 5): string {
  if (items.length === 0) return '—';
  const rest = items.length - shown;
  return rest > 0 ? `${items.slice(0, shown).join(', ')} and ${rest} more` : items.join(', ');
}

/** The facts every message shows, in this order. */
export function facts(summary: IncidentSummary): { title: string; value: string }[] {
  return [
    { title: 'Status', value: summary.status },
    { title: 'Severity', value: summary.severity ?? 'not set' },
    { title: 'Services', value: shortList(summary.services) },
    { title: 'Keys', value: shortList(summary.keys, 3) },
    ...(summary.startedAt ? [{ title: 'Started', value: `${summary.startedAt.slice(0, 10)} ${clockTime(summary.startedAt)}` }] : []),
  ];
}
