import type { IncidentEvent } from '../events/envelope.js';

/**
 * One run of the fold (`evolve` or `evolveAll`). Lists this run created are appended to in place;
 * lists of the state it started from are copied first, so a caller's state is never changed. The
 * intermediate states of a run are never seen outside it, so sharing their lists is safe, and appending
 * n notes costs O(n) instead of the O(n²) of copying the list for each one.
 */
export class FoldScope {
  private readonly owned = new WeakSet<readonly unknown[]>();

  /** Every event of the set being projected, retracted ones included: a retraction looks its target up here. */
  constructor(readonly eventsById: ReadonlyMap<string, IncidentEvent> = new Map()) {}

  append<T>(list: readonly T[], item: T): T[] {
    if (this.owned.has(list)) {
      (list as T[]).push(item);
      return list as T[];
    }
    const copy = [...list, item];
    this.owned.add(copy);
    return copy;
  }
}
