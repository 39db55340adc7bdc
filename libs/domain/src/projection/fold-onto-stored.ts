import type { IncidentEvent } from '../events/envelope.js';
import { orderEvents } from '../events/ordering.js';
import { canEvolveAllInOrder, evolveAll } from './evolve.js';
import { project } from './project.js';
import type { IncidentState } from './state.js';

/** What a batch's new events make of the incidents they join. */
export interface FoldedBatch {
  /** New states, got without reading any stored event. */
  states: IncidentState[];
  /** Incidents that got a late event or a correction: only a projection of their whole stored log is right. */
  reproject: string[];
}

/**
 * The timeline's projection step, kept apart from its I/O so a property test can drive it: an incident
 * not stored yet is projected from its new events, one whose new events all sort after what its stored
 * state folded (and correct nothing) is folded onto that state, any other must be re-projected.
 */
export function foldOntoStored(stored: ReadonlyMap<string, IncidentState>, added: ReadonlyMap<string, readonly IncidentEvent[]>): FoldedBatch {
  const states: IncidentState[] = [];
  const reproject: string[] = [];
  for (const [id, events] of added) {
    const ordered = orderEvents(events);
    const state = stored.get(id);
    if (!state) states.push(project(id, ordered));
    else if (canEvolveAllInOrder(state, ordered)) states.push(evolveAll(state, ordered));
    else reproject.push(id);
  }
  return { states, reproject };
}
