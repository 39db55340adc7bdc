import type { IncidentEvent } from '../events/envelope.js';
import { orderEvents } from '../events/ordering.js';
import { retractedIds } from './corrections.js';
import { evolveAll } from './evolve.js';
import { initialIncidentState, type IncidentState } from './state.js';

/**
 * An incident's state as a function of its set of events: ordered by occurredAt then id,
 * duplicates dropped, retracted events left out, then folded. Any arrival order and any re-sends
 * give the same state, whether a retraction came before or after the event it names.
 */
export function project(incidentId: string, events: readonly IncidentEvent[]): IncidentState {
  const ordered = orderEvents(events);
  const eventsById = new Map(ordered.map((event) => [event.id, event]));
  const retracted = retractedIds(eventsById);
  const counted = retracted.size === 0 ? ordered : ordered.filter((event) => !retracted.has(event.id));
  return evolveAll(initialIncidentState(incidentId), counted, eventsById);
}
