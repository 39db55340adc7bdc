import type { IncidentEvent, IncidentState, TimePoint } from '@app/domain';
import { formView, type SubmittedForm } from '../records/form-view.js';
import { MERGE_FORM, RECORD_FORMS, RETRACT_FORM } from '../records/record-forms.js';
import { describeEvent, formatInstant, formatMinutes, typeLabel } from './describe-event.js';

/** Rows of the timeline shown at once: an incident of 10,000 events opens as fast as one of 200. */
export const TIMELINE_WINDOW = 200;

export interface IncidentViewInput {
  state: IncidentState;
  events: IncidentEvent[];
  unattached: IncidentEvent[];
  /** Index of the first timeline row shown; the latest window when absent. */
  from?: number;
  submitted?: SubmittedForm;
  recorded?: string;
  now: Date;
}

export function incidentTitle(state: IncidentState): string {
  return state.title?.value ?? state.rootCause?.summary ?? state.firstAlertName?.value ?? state.id;
}

interface Retraction {
  reason: string;
  actor: string;
  at: string;
  id: string;
}

function retractions(events: IncidentEvent[]): Map<string, Retraction> {
  const retracted = new Map<string, Retraction>();
  for (const event of events) {
    if (event.type === 'event.retracted') retracted.set(event.data.eventId, { reason: event.data.reason, actor: event.actor ?? event.source, at: event.occurredAt, id: event.id });
  }
  return retracted;
}

/** Which window of rows to show, and the links to the others. */
export function timelineWindow(total: number, from: number | undefined, size = TIMELINE_WINDOW) {
  const latest = Math.max(0, total - size);
  const start = from === undefined || !Number.isInteger(from) || from < 0 ? latest : Math.min(from, latest);
  const end = Math.min(total, start + size);
  return {
    start,
    end,
    total,
    windowed: total > size,
    earliest: start > 0 ? 0 : null,
    earlier: start > 0 ? Math.max(0, start - size) : null,
    later: end < total ? Math.min(latest, start + size) : null,
    latest: end < total ? latest : null,
  };
}

/** The view model of /incidents/:ref. */
export function incidentView(input: IncidentViewInput) {
  const { state, events, now, submitted } = input;
  const byId = new Map(events.map((event) => [event.id, event]));
  const retracted = retractions(events);
  const milestoneOf = new Map(state.milestones.map((milestone) => [milestone.eventId, milestone.name]));
  const base = `/incidents/${encodeURIComponent(state.id)}`;

  const behind = (...points: (TimePoint | null | undefined)[]) =>
    points
      .filter((point): point is TimePoint => !!point)
      .map((point) => {
        const event = byId.get(point.eventId);
        return { id: point.eventId, at: formatInstant(point.at), label: event ? typeLabel(event.type) : 'event', text: event ? describeEvent(event) : '' };
      });
  const t = state.times;
  const d = state.durations;
  const figures = [
    { name: 'status', label: 'Status', value: state.status, events: behind(state.statusChange) },
    { name: 'severity', label: 'Severity', value: state.severity?.value ?? 'not stated', events: behind(state.severity) },
    { name: 'duration', label: 'Duration', value: formatMinutes(d.durationMinutes), events: behind(t.startedAt, t.resolvedAt) },
    { name: 'timeToDetect', label: 'Time to detect', value: formatMinutes(d.timeToDetectMinutes), events: behind(t.startedAt, t.detectedAt) },
    { name: 'timeToAcknowledge', label: 'Time to acknowledge', value: formatMinutes(d.timeToAcknowledgeMinutes), events: behind(t.detectedAt, t.acknowledgedAt) },
    { name: 'timeToMitigate', label: 'Time to mitigate', value: formatMinutes(d.timeToMitigateMinutes), events: behind(t.detectedAt, t.mitigatedAt) },
    { name: 'timeToResolve', label: 'Time to resolve', value: formatMinutes(d.timeToResolveMinutes), events: behind(t.detectedAt, t.resolvedAt) },
    {
      name: 'services',
      label: 'Affected services',
      value: state.services.join(', ') || 'none',
      events: behind(state.firstEventId && state.firstEventAt ? { eventId: state.firstEventId, at: state.firstEventAt } : null, ...state.impactedServices),
    },
    { name: 'usersAffected', label: 'Users affected', value: state.customerImpact.usersAffected ? String(state.customerImpact.usersAffected.value) : 'not recorded', events: behind(state.customerImpact.usersAffected) },
  ].map((figure) => ({ ...figure, hasEvents: figure.events.length > 0 }));

  const window = timelineWindow(events.length, input.from);
  const retractAction = `${base}/record/event.retracted`;
  const rows = events.slice(window.start, window.end).map((event) => {
    const retraction = retracted.get(event.id);
    return {
      id: event.id,
      at: formatInstant(event.occurredAt),
      iso: event.occurredAt,
      label: typeLabel(event.type),
      type: event.type,
      text: describeEvent(event),
      source: event.source,
      actor: event.actor ?? '',
      service: event.service,
      milestone: milestoneOf.get(event.id),
      retraction: retraction ? { ...retraction, at: formatInstant(retraction.at) } : undefined,
      // A retraction cannot be retracted (EVENTS.md); a retracted event needs no second one.
      retract: event.type === 'event.retracted' || retraction ? undefined : formView(RETRACT_FORM, retractAction, now, submitted, { idSuffix: `-${window.start}-${event.id.replace(/[^A-Za-z0-9_-]/g, '_')}`, fixed: { eventId: event.id } }),
    };
  });
  const windowLink = (from: number | null) => (from === null ? null : `${base}?from=${from}#timeline`);

  const services = new Set(state.services);
  const nearby = input.unattached
    .filter((event) => services.has(event.service))
    .map((event) => ({ id: event.id, at: formatInstant(event.occurredAt), label: typeLabel(event.type), text: describeEvent(event), service: event.service, source: event.source }));

  const forms = RECORD_FORMS.map((form) => ({ ...formView(form, `${base}/record/${form.type}`, now, submitted) }));
  const recordedForm = input.recorded ? [...RECORD_FORMS, RETRACT_FORM, MERGE_FORM].find((form) => form.type === input.recorded) : undefined;
  return {
    incident: {
      id: state.id,
      title: incidentTitle(state),
      keys: state.keys.filter((key) => key !== state.id),
      open: state.open,
      status: state.status,
      severity: state.severity?.value,
      primaryService: state.primaryService,
      eventCount: state.eventCount,
      base,
    },
    figures,
    timeline: {
      rows,
      window,
      range: window.windowed ? `Events ${window.start + 1} to ${window.end} of ${window.total}` : `${window.total} events`,
      earliest: windowLink(window.earliest),
      earlier: windowLink(window.earlier),
      later: windowLink(window.later),
      latest: windowLink(window.latest),
    },
    nearby,
    forms,
    merge: formView(MERGE_FORM, `${base}/record/incident.merged`, now, submitted),
    recorded: recordedForm ? `${recordedForm.title} recorded. It appears in the timeline within seconds.` : undefined,
    hasErrors: !!submitted && submitted.errors.length > 0,
  };
}
