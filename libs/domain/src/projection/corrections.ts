import type { EventOf, IncidentEvent } from '../events/envelope.js';
import { pointOf } from './facts.js';
import type { FoldScope } from './fold-scope.js';
import type { FirstOccurrenceKey, IncidentState, TimePoint } from './state.js';

/*
 * Corrections (EVENTS.md, December additions): `impact.started`, `event.retracted` and `incident.merged`.
 * A retraction removes its target from every figure, so `project` leaves retracted events out of the fold
 * altogether; the fold only records the retraction itself, with what it retracted, for the RCA appendix.
 */

/**
 * The ids a set of events retracts. A retraction cannot itself be retracted: one that names another
 * retraction retracts nothing. Decided on the whole set, so the order the events came in never matters.
 */
export function retractedIds(eventsById: ReadonlyMap<string, IncidentEvent>): Set<string> {
  const retracted = new Set<string>();
  for (const event of eventsById.values()) {
    if (event.type !== 'event.retracted') continue;
    if (eventsById.get(event.data.eventId)?.type === 'event.retracted') continue;
    retracted.add(event.data.eventId);
  }
  return retracted;
}

/** The first-occurrence key (milestone source) an event records, if any. */
export function milestoneSourceOf(event: IncidentEvent): FirstOccurrenceKey | null {
  switch (event.type) {
    case 'alert.triggered':
    case 'page.sent':
    case 'page.acknowledged':
    case 'root_cause.identified':
    case 'mitigation.applied':
      return event.type;
    case 'status.changed':
      return `status:${event.data.status}`;
    default:
      return null;
  }
}

/** The latest-stated impact start wins (events are folded in event-time order). */
export function applyImpactStarted(state: IncidentState, _event: EventOf<'impact.started'>, point: TimePoint): IncidentState {
  return { ...state, impactStarted: point };
}

export function applyRetraction(state: IncidentState, event: EventOf<'event.retracted'>, point: TimePoint, scope: FoldScope): IncidentState {
  const target = scope.eventsById.get(event.data.eventId);
  if (target?.type === 'event.retracted') return state;
  const retraction = {
    retractedEventId: event.data.eventId,
    retractedType: target?.type ?? null,
    retractedAt: target ? pointOf(target).at : null,
    retractedSource: target ? milestoneSourceOf(target) : null,
    actor: event.actor ?? null,
    reason: event.data.reason,
    ...point,
  };
  return { ...state, retractions: scope.append(state.retractions, retraction) };
}

export function applyMerge(state: IncidentState, event: EventOf<'incident.merged'>, point: TimePoint, scope: FoldScope): IncidentState {
  const merge = { from: event.incidentKey ?? null, into: event.data.into, actor: event.actor ?? null, ...point };
  return { ...state, merges: scope.append(state.merges, merge) };
}

/**
 * The first occurrences as they would stand without the retractions: where a milestone stood before
 * it was corrected. Only retracted events earlier than the current first occurrence moved anything.
 */
export function firstOccurrencesBeforeRetractions(state: IncidentState): IncidentState['firstOccurrences'] {
  const firsts = { ...state.firstOccurrences };
  for (const retraction of state.retractions) {
    const { retractedSource: source, retractedAt: at } = retraction;
    if (!source || !at) continue;
    const current = firsts[source];
    const candidate = { at, eventId: retraction.retractedEventId };
    if (!current || at < current.at || (at === current.at && candidate.eventId < current.eventId)) firsts[source] = candidate;
  }
  return firsts;
}
