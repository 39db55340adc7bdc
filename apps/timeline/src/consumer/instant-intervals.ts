/** A closed stretch of event time, in whole milliseconds (the precision every instant is stored at). */
export interface Interval {
  fromMs: number;
  toMs: number;
}

/**
 * A union of closed intervals of whole-millisecond instants, kept disjoint and sorted. Intervals that
 * overlap or touch (the next starts at most one millisecond after one ends: no instant lies between) are
 * merged, so each instant is in at most one and the list stays as short as the union allows. What a
 * correlation context has reached, and loaded, in one window group: a batch holding a current event and a
 * ten-day-old one reaches two short stretches, not the ten days between them.
 */
export class InstantIntervals {
  private readonly list: Interval[] = [];

  intervals(): readonly Interval[] {
    return this.list;
  }

  /** Adds [fromMs, toMs]; true when it holds an instant the set did not. */
  add(fromMs: number, toMs: number): boolean {
    if (fromMs > toMs) return false;
    // The first interval that ends at or after the instant before fromMs: the first that may touch the new one.
    const start = this.firstEndingFrom(fromMs - 1);
    const first = this.list[start];
    if (first && first.fromMs <= fromMs && first.toMs >= toMs) return false;
    let end = start;
    let merged: Interval = { fromMs, toMs };
    while (end < this.list.length && this.list[end]!.fromMs <= toMs + 1) {
      merged = { fromMs: Math.min(merged.fromMs, this.list[end]!.fromMs), toMs: Math.max(merged.toMs, this.list[end]!.toMs) };
      end += 1;
    }
    this.list.splice(start, end - start, merged);
    return true;
  }

  /** The parts of this set that `other` does not hold, as disjoint intervals in order. */
  without(other: InstantIntervals): Interval[] {
    const result: Interval[] = [];
    for (const interval of this.list) {
      let fromMs = interval.fromMs;
      for (let i = other.firstEndingFrom(fromMs); i < other.list.length && fromMs <= interval.toMs; i += 1) {
        const hole = other.list[i]!;
        if (hole.fromMs > interval.toMs) break;
        if (hole.fromMs > fromMs) result.push({ fromMs, toMs: hole.fromMs - 1 });
        fromMs = Math.max(fromMs, hole.toMs + 1);
      }
      if (fromMs <= interval.toMs) result.push({ fromMs, toMs: interval.toMs });
    }
    return result;
  }

  /** Index of the first interval ending at or after `atMs` (binary search: the list is sorted and disjoint). */
  private firstEndingFrom(atMs: number): number {
    let lo = 0;
    let hi = this.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.list[mid]!.toMs < atMs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * `intervals` (sorted, disjoint) with every gap shorter than `maxGapMs` filled: fewer, longer intervals
 * that hold all of them and more.
 */
export function bridgeGaps(intervals: readonly Interval[], maxGapMs: number): Interval[] {
  const result: Interval[] = [];
  for (const interval of intervals) {
    const last = result[result.length - 1];
    if (last && interval.fromMs - last.toMs - 1 < maxGapMs) last.toMs = Math.max(last.toMs, interval.toMs);
    else result.push({ ...interval });
  }
  return result;
}
