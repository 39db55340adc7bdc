import type { FoldScope } from './fold-scope.js';
import type { IncidentState } from './state.js';

/**
 * How many entries each list of the state keeps. An incident is read whole (the API, every RCA
 * render), so one sender repeating notes must not make it unbounded: past the cap an entry is counted
 * in `state.overflow`, not kept. The fold takes events in canonical order, so the kept ones are the
 * first in event time, and the state stays a function of the set of events. The RCA appendix says
 * when a list was capped.
 */
export const LIST_CAPS = {
  impactedServices: 100,
  alertNames: 100,
  impact: 50,
  resolutionSteps: 200,
  lessons: 200,
  actionItems: 200,
  notes: 500,
} as const;

export type CappedList = keyof typeof LIST_CAPS;

type ItemOf<K extends CappedList> = IncidentState[K][number];

/** `item` appended to the state's `list`, or counted in `overflow` once the list holds its cap. */
export function appendCapped<K extends CappedList>(state: IncidentState, list: K, item: ItemOf<K>, scope: FoldScope): IncidentState {
  const current = state[list] as readonly ItemOf<K>[];
  // A state stored before the caps existed has no `overflow` until a rebuild.
  if (current.length >= LIST_CAPS[list]) return { ...state, overflow: { ...state.overflow, [list]: (state.overflow?.[list] ?? 0) + 1 } };
  return { ...state, [list]: scope.append(current, item) };
}
