import { detectionOf } from '../projection/derive.js';
import { LIST_CAPS, type CappedList } from '../projection/list-caps.js';
import type { IncidentState, Milestone, TimePoint } from '../projection/state.js';
import { escapeTableCell } from './markdown-escape.js';
import type { AppendixRow, MergeRow, RetractionRow } from './rca-view.js';
import { NOT_RECORDED, utcClock } from './text.js';

type Backing = TimePoint | null | undefined;

function row(figure: string, value: string | number | null, ...sources: Backing[]): AppendixRow {
  // A figure the log lacks cites no event: its sources could only be partial.
  const ids = value === null ? [] : sources.filter((s): s is TimePoint => Boolean(s)).map((s) => s.eventId);
  return {
    figure,
    value: value === null ? NOT_RECORDED : escapeTableCell(String(value)),
    eventIds: ids.length > 0 ? escapeTableCell([...new Set(ids)].join(', ')) : NOT_RECORDED,
  };
}

/** Each figure of the RCA with the ids of the events behind it, so a reader can check it. */
export function appendixRows(state: IncidentState, incidentDay: string): AppendixRow[] {
  const { times, durations, customerImpact: c } = state;
  return [
    row('Severity', state.severity?.value ?? null, state.severity),
    row('Status', state.status, state.statusChange),
    row('Author (team)', state.team?.value ?? null, state.team),
    row('Root cause', state.rootCause?.summary ?? null, state.rootCause),
    row('Duration (minutes)', durations.durationMinutes, times.startedAt, times.resolvedAt),
    ...(times.impactStartedAt ? [row('Impact started', utcClock(times.impactStartedAt.at, incidentDay), times.impactStartedAt)] : []),
    row('Time to detect (minutes)', durations.timeToDetectMinutes, times.impactStartedAt, detectionOf(state, times)),
    row('Time to acknowledge (minutes)', durations.timeToAcknowledgeMinutes, times.startedAt, times.acknowledgedAt),
    row('Time to mitigate (minutes)', durations.timeToMitigateMinutes, times.startedAt, times.mitigatedAt),
    row('Time to resolve (minutes)', durations.timeToResolveMinutes, times.startedAt, times.resolvedAt),
    ...state.milestones.map((m) => row(m.name, milestoneValue(m, incidentDay), m)),
    ...state.impactedServices.map((s) => row('Affected service', s.service, s)),
    ...state.impact.map((f) => row(`Impact: ${f.metric}`, `${f.peak}${f.unit}`, f)),
    row('Users affected', c.usersAffected?.value ?? null, c.usersAffected),
    row('Customer-facing errors', c.customerErrors?.value ?? null, c.customerErrors),
    row('Support tickets', c.supportTickets?.value ?? null, c.supportTickets),
    row('Revenue impact (USD)', c.revenueUsd?.value ?? null, c.revenueUsd),
    row('Resolution steps', state.resolutionSteps.length, ...state.resolutionSteps),
    row('Lessons', state.lessons.length, ...state.lessons),
    row('Action items', state.actionItems.length, ...state.actionItems),
    ...cappedRows(state),
  ];
}

const LIST_LABELS: Record<CappedList, string> = {
  impactedServices: 'affected services',
  alertNames: 'alert names',
  impact: 'impact figures',
  resolutionSteps: 'resolution steps',
  lessons: 'lessons',
  actionItems: 'action items',
  notes: 'notes',
};

/** A list that reached its cap says how many entries this document does not show (LIST_CAPS). */
function cappedRows(state: IncidentState): AppendixRow[] {
  return (Object.keys(LIST_CAPS) as CappedList[])
    .filter((list) => (state.overflow?.[list] ?? 0) > 0)
    .map((list) => ({
      figure: `Capped: ${LIST_LABELS[list]}`,
      value: `the first ${LIST_CAPS[list]} are shown, ${state.overflow[list]} more are not`,
      eventIds: NOT_RECORDED,
    }));
}

/** A milestone a retraction moved says so, and where it stood before. */
function milestoneValue(milestone: Milestone, incidentDay: string): string {
  const clock = utcClock(milestone.at, incidentDay);
  return milestone.correctedFrom ? `${clock} (corrected from ${utcClock(milestone.correctedFrom.at, incidentDay)})` : clock;
}

/** Each retraction: what it retracted, who, when and why. */
export function retractionRows(state: IncidentState, incidentDay: string): RetractionRow[] {
  return state.retractions.map((r) => ({
    eventId: escapeTableCell(r.retractedEventId),
    eventType: r.retractedType ?? NOT_RECORDED,
    eventTime: r.retractedAt ? utcClock(r.retractedAt, incidentDay) : NOT_RECORDED,
    actor: r.actor ? escapeTableCell(r.actor) : NOT_RECORDED,
    time: utcClock(r.at, incidentDay),
    reason: escapeTableCell(r.reason),
    retractionId: escapeTableCell(r.eventId),
  }));
}

/** Each incident.merged folded into this incident. */
export function mergeRows(state: IncidentState, incidentDay: string): MergeRow[] {
  return state.merges.map((m) => ({
    from: m.from ? escapeTableCell(m.from) : NOT_RECORDED,
    actor: m.actor ? escapeTableCell(m.actor) : NOT_RECORDED,
    time: utcClock(m.at, incidentDay),
    eventId: escapeTableCell(m.eventId),
  }));
}
