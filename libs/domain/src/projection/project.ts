import type { IncidentEvent } from '../events/envelope.js';
import { orderEvents } from '../events/ordering.js';
import { evolveAll } from './evolve.js';
import { initialIncidentState, type IncidentState } from './state.js';

/**
 * An incident's state as a function of its set of events: ordered by occurredAt then id,
 * duplicates dropped, then folded. Any arrival order and any re-sends give the same state.
 */
export function project(incidentId: string, events: readonly IncidentEvent[]): IncidentState {
  return evolveAll(initialIncidentState(incidentId), orderEvents(events));
}
