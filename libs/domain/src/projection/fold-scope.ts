import type { IncidentEvent } from '../events/envelope.js';

/**
 * One run of the fold (`evolve` or `evolveAll`). Lists this run created are appended to in place;
 * lists of the state it started from are copied first, so a caller's state is never changed. The
 * intermediate states of a run are never seen outside it, so sharing their lists is safe, and appending
 * n notes costs O(n) instead of the O(n²) of copying the list for each one.
 */
export class FoldScope {
  private readonly owned = new WeakSet<readonly unknown[]>();
  /** Lists used as sets (the firing alerts of a storm: thousands), with a Set of their members to test against. */
  private readonly members = new WeakMap<readonly unknown[], Set<unknown>>();

  /** Every event of the set being projected, retracted ones included: a retraction looks its target up here. */
  constructor(readonly eventsById: ReadonlyMap<string, IncidentEvent> = new Map()) {}

  append<T>(list: readonly T[], item: T): T[] {
    const owned = this.own(list);
    owned.push(item);
    this.members.get(owned)?.add(item);
    return owned;
  }

  /** `list`, a list of distinct items, with `item` (appended when missing). */
  include<T>(list: readonly T[], item: T): readonly T[] {
    if (this.membersOf(list).has(item)) return list;
    return this.append(list, item);
  }

  /** `list`, a list of distinct items, without `item`. */
  exclude<T>(list: readonly T[], item: T): readonly T[] {
    if (!this.membersOf(list).has(item)) return list;
    const owned = this.own(list);
    owned.splice(owned.indexOf(item), 1);
    this.membersOf(owned).delete(item);
    return owned;
  }

  private own<T>(list: readonly T[]): T[] {
    if (this.owned.has(list)) return list as T[];
    const copy = [...list];
    this.owned.add(copy);
    return copy;
  }

  private membersOf(list: readonly unknown[]): Set<unknown> {
    let members = this.members.get(list);
    if (!members) this.members.set(list, (members = new Set(list)));
    return members;
  }
}
