import type { EventOf, IncidentEvent } from '../events/envelope.js';
import type { EventType } from '../events/event-types.js';
import { compareEvents } from '../events/ordering.js';
import * as findings from './apply-findings.js';
import * as response from './apply-response.js';
import { withDerivedFields } from './derive.js';
import { FoldScope } from './fold-scope.js';
import { insertSortedUnique, listServices, pointOf, recordFirst } from './facts.js';
import type { IncidentState, TimePoint } from './state.js';

type Handler<T extends EventType> = (state: IncidentState, event: EventOf<T>, point: TimePoint, scope: FoldScope) => IncidentState;

const unchanged = (state: IncidentState) => state;

const HANDLERS: { [T in EventType]: Handler<T> } = {
  'alert.triggered': response.applyAlertTriggered,
  'alert.resolved': unchanged,
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
  'impact.started': unchanged,
  'event.retracted': unchanged,
  'incident.merged': unchanged,
};

/** Bookkeeping every event contributes, whatever its type. */
function recordEnvelope(state: IncidentState, event: IncidentEvent, point: TimePoint): IncidentState {
  const isFirst = state.firstEventAt === null;
  const primaryService = isFirst ? event.service : state.primaryService;
  return {
    ...state,
    keys: event.incidentKey ? insertSortedUnique(state.keys, event.incidentKey) : state.keys,
    primaryService,
    // The primary service is set by the first event only; impacted services update the list themselves.
    services: isFirst ? listServices(primaryService, state.impactedServices) : state.services,
    eventCounts: { ...state.eventCounts, [event.type]: (state.eventCounts[event.type] ?? 0) + 1 },
    eventCount: state.eventCount + 1,
    firstEventAt: isFirst ? point.at : state.firstEventAt,
    firstEventId: isFirst ? point.eventId : state.firstEventId,
    lastEventAt: point.at,
    lastEventId: point.eventId,
  };
}

/**
 * The fold step. It expects events in canonical order (compareEvents), each once: "first"
 * means first folded and "latest" means last folded. `project` guarantees that; a caller
 * folding incrementally checks `canEvolveInOrder` and re-projects from the log otherwise.
 * Pure: the input state is never mutated.
 */
export function evolve(state: IncidentState, event: IncidentEvent): IncidentState {
  return withDerivedFields(recordFacts(state, event, new FoldScope()));
}

/**
 * `evolve` over several events (in canonical order, after those already folded): the same
 * state, but milestones, times and durations are derived once instead of after every event.
 */
export function evolveAll(state: IncidentState, events: readonly IncidentEvent[]): IncidentState {
  if (events.length === 0) return state;
  const scope = new FoldScope();
  return withDerivedFields(events.reduce((folded, event) => recordFacts(folded, event, scope), state));
}

/** The facts an event adds; handlers read facts only, never the derived fields. */
function recordFacts(state: IncidentState, event: IncidentEvent, scope: FoldScope): IncidentState {
  const point = pointOf(event);
  const recorded = recordEnvelope(state, event, point);
  const handler = HANDLERS[event.type] as Handler<EventType>;
  return handler(recorded, event as EventOf<EventType>, point, scope);
}

/** True when `event` sorts strictly after everything already folded into `state`. */
export function canEvolveInOrder(state: IncidentState, event: IncidentEvent): boolean {
  if (state.lastEventAt === null || state.lastEventId === null) return true;
  return compareEvents({ id: state.lastEventId, occurredAt: state.lastEventAt }, event) < 0;
}
