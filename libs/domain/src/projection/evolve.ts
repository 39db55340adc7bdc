import type { EventOf, IncidentEvent } from '../events/envelope.js';
import type { EventType } from '../events/event-types.js';
import { UNKNOWN_SERVICE } from '../events/primitives.js';
import * as alerts from './alert-resolution.js';
import * as corrections from './corrections.js';
import * as findings from './apply-findings.js';
import * as response from './apply-response.js';
import { withDerivedFields } from './derive.js';
import { FoldScope } from './fold-scope.js';
import { insertSortedUnique, listServices, pointOf, recordFirst } from './facts.js';
import type { IncidentState, TimePoint } from './state.js';

type Handler<T extends EventType> = (state: IncidentState, event: EventOf<T>, point: TimePoint, scope: FoldScope) => IncidentState;

const unchanged = (state: IncidentState) => state;

const HANDLERS: { [T in EventType]: Handler<T> } = {
  'alert.triggered': (state, event, point, scope) => alerts.applyAlertTriggered(response.applyAlertTriggered(state, event, point, scope), event, scope),
  'alert.resolved': alerts.applyAlertResolved,
  'page.sent': (state, _event, point) => recordFirst(state, 'page.sent', point),
  'page.acknowledged': (state, _event, point) => recordFirst(state, 'page.acknowledged', point),
  'page.escalated': unchanged,
  'incident.declared': response.applyDeclared,
  'severity.changed': response.applySeverityChanged,
  'status.changed': response.applyStatusChanged,
  'root_cause.identified': findings.applyRootCause,
  'mitigation.applied': (state, _event, point) => recordFirst(state, 'mitigation.applied', point),
  'service.impacted': findings.applyServiceImpacted,
  'impact.measured': findings.applyImpactMeasured,
  'customer_impact.reported': findings.applyCustomerImpact,
  'resolution.step': findings.applyResolutionStep,
  'lesson.recorded': findings.applyLesson,
  'action_item.added': findings.applyActionItem,
  'note.added': findings.applyNote,
  'impact.started': corrections.applyImpactStarted,
  'event.retracted': corrections.applyRetraction,
  'incident.merged': corrections.applyMerge,
};

/** incidentKey and every correlationKeys entry: all of them identify this incident (EVENTS.md rule 1). */
function withEventKeys(keys: string[], event: IncidentEvent): string[] {
  let next = keys;
  if (event.incidentKey) next = insertSortedUnique(next, event.incidentKey);
  for (const key of event.correlationKeys ?? []) next = insertSortedUnique(next, key);
  return next;
}

/** Events that say something about the record rather than report the incident: detection never rests on them. */
const NOT_REPORTS: ReadonlySet<EventType> = new Set(['impact.started', 'event.retracted', 'incident.merged']);

/** Bookkeeping every event contributes, whatever its type. */
function recordEnvelope(state: IncidentState, event: IncidentEvent, point: TimePoint): IncidentState {
  const isFirst = state.firstEventAt === null;
  // The earliest event that names a service: a note or an impact start recorded from a chat before any
  // alert (service `unknown`) must not make `unknown` the incident's service.
  const namesPrimary = isFirst || (state.primaryService === UNKNOWN_SERVICE && event.service !== UNKNOWN_SERVICE);
  const primaryService = namesPrimary ? event.service : state.primaryService;
  return {
    ...state,
    keys: withEventKeys(state.keys, event),
    primaryService,
    // The primary service changes only here; impacted services update the list themselves.
    services: namesPrimary ? listServices(primaryService, state.impactedServices) : state.services,
    eventCounts: { ...state.eventCounts, [event.type]: (state.eventCounts[event.type] ?? 0) + 1 },
    eventCount: state.eventCount + 1,
    firstEventAt: isFirst ? point.at : state.firstEventAt,
    firstEventId: isFirst ? point.eventId : state.firstEventId,
    firstReport: state.firstReport ?? (NOT_REPORTS.has(event.type) ? null : point),
    lastEventAt: point.at,
    lastEventId: point.eventId,
  };
}

/**
 * The fold step. It expects events in canonical order (compareEvents), each once: "first"
 * means first folded and "latest" means last folded. `project` guarantees that; an event that sorts
 * before what was folded, or a retraction, needs `project` over the whole set instead.
 * Pure: the input state is never mutated.
 */
export function evolve(state: IncidentState, event: IncidentEvent): IncidentState {
  return withDerivedFields(recordFacts(state, event, new FoldScope()));
}

/**
 * `evolve` over several events (in canonical order, after those already folded): the same
 * state, but milestones, times and durations are derived once instead of after every event.
 */
export function evolveAll(state: IncidentState, events: readonly IncidentEvent[], eventsById?: ReadonlyMap<string, IncidentEvent>): IncidentState {
  if (events.length === 0) return state;
  const scope = new FoldScope(eventsById);
  return withDerivedFields(events.reduce((folded, event) => recordFacts(folded, event, scope), state));
}

/** The facts an event adds; handlers read facts only, never the derived fields. */
function recordFacts(state: IncidentState, event: IncidentEvent, scope: FoldScope): IncidentState {
  const point = pointOf(event);
  const recorded = recordEnvelope(state, event, point);
  const handler = HANDLERS[event.type] as Handler<EventType>;
  return handler(recorded, event as EventOf<EventType>, point, scope);
}

