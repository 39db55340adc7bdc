import type { IncidentEvent } from '../events/envelope.js';
import { compareEvents, eventTimeMs } from '../events/ordering.js';
import { correlationKeysOf, type CorrelationSettings, windowGroupOf } from './settings.js';
import { opensIncident, TrackedIncident } from './tracked-incident.js';

interface Pending {
  event: IncidentEvent;
  atMs: number;
  keys: string[];
  placed: boolean;
}

/**
 * EVENTS.md's rules applied to events in event-time order (`add` them so). Rule 4 is applied eagerly:
 * whenever an incident opens, links a key or widens its window, the unattached events it could now take
 * are offered again, so the result is that of the rules running one event at a time in event-time order,
 * and so a function of the set of events.
 */
export class CorrelationRun {
  readonly incidents = new Map<string, TrackedIncident>();
  private readonly byKey = new Map<string, TrackedIncident>();
  /** Per window group, the incidents whose window may still hold the next events (pruned lazily). */
  private readonly live = new Map<string, Set<TrackedIncident>>();
  private readonly pendingByGroup = new Map<string, Pending[]>();
  private readonly pendingByKey = new Map<string, Pending[]>();
  private readonly pending: Pending[] = [];
  /** Where each placed event a retraction names is; and the retractions waiting for their target. */
  private readonly placedIn = new Map<string, TrackedIncident>();
  private readonly retractionsByTarget = new Map<string, Pending[]>();
  private readonly marginMs: number;
  private nowMs = Number.NEGATIVE_INFINITY;

  /**
   * `retracted`: the ids the log's retractions name, when the caller knows them all beforehand; only those
   * events' incidents are remembered (a million-event log need not keep an entry per event).
   */
  constructor(
    private readonly settings: CorrelationSettings,
    private readonly newIncidentId: (event: IncidentEvent) => string,
    private readonly retracted: ReadonlySet<string> | null = null,
  ) {
    this.marginMs = settings.marginMinutes * 60_000;
  }

  /**
   * A run that goes on from stored incidents restored from their snapshots (TrackedIncident.restore): the
   * events added next must all come after every event those incidents hold. A key several of them carry is
   * linked to the first given; the caller gives none that a fresh event carries (continue-correlation.ts).
   */
  static continuing(settings: CorrelationSettings, newIncidentId: (event: IncidentEvent) => string, restored: readonly TrackedIncident[]): CorrelationRun {
    const run = new CorrelationRun(settings, newIncidentId);
    for (const incident of restored) run.incidents.set(incident.id, incident);
    for (const incident of restored) {
      for (const key of incident.keys) if (!run.incidents.has(key) && !run.byKey.has(key)) run.byKey.set(key, incident);
      run.keepLive(incident, null);
    }
    return run;
  }

  /** The next event in event-time order (`atMs`: its time, when the caller has it). */
  add(event: IncidentEvent, atMs = eventTimeMs(event)): void {
    const item: Pending = { event, atMs, keys: event.type === 'event.retracted' ? [] : correlationKeysOf(event, this.settings), placed: false };
    this.nowMs = item.atMs;
    const match = this.match(item);
    if (match) return this.place(item, match);
    if (opensIncident(event)) return this.place(item, null);
    this.keepUnattached(item);
  }

  unattached(): IncidentEvent[] {
    return this.pending.filter((item) => !item.placed).map((item) => item.event);
  }

  /** The incident a key names now: an incident id, or a linked key (merges resolve later). */
  incidentOfKey(key: string): string | null {
    return (this.incidents.get(key) ?? this.byKey.get(key))?.id ?? null;
  }

  /**
   * A retraction belongs to the incident holding the event it names, never by key or window; rule 1
   * (of several keyed incidents, the one that started first), else rule 2 (the one that started last).
   */
  private match(item: Pending): TrackedIncident | null {
    if (item.event.type === 'event.retracted') return this.placedIn.get(item.event.data.eventId) ?? null;
    let byKey: TrackedIncident | null = null;
    for (const key of item.keys) {
      const incident = this.incidents.get(key) ?? this.byKey.get(key);
      if (incident && (!byKey || incident.startedBefore(byKey))) byKey = incident;
    }
    if (byKey) return byKey;
    const group = windowGroupOf(item.event.service, this.settings);
    if (group === null) return null;
    let latest: TrackedIncident | null = null;
    const live = this.live.get(group);
    for (const incident of live ?? []) {
      // Events come in time order: a window that ended before the current event is over for good (until a keyed event extends it).
      if (incident.endMs < this.nowMs) live!.delete(incident);
      else if (incident.covers(item.atMs, this.marginMs) && (!latest || latest.startedBefore(incident))) latest = incident;
    }
    return latest;
  }

  /** Places an event in `into`, or opens an incident with it, then offers the unattached events again. */
  private place(item: Pending, into: TrackedIncident | null): void {
    const work: [Pending, TrackedIncident | null][] = [[item, into]];
    while (work.length > 0) {
      const [next, target] = work.shift()!;
      if (next.placed) continue;
      next.placed = true;
      const incident = target ?? this.open(next.event);
      const before = { startMs: incident.first.atMs, endMs: incident.endMs, group: windowGroupOf(incident.service, this.settings) };
      const linked = incident.absorb(next.event, next.keys, next.atMs);
      if (this.retracted === null || this.retracted.has(next.event.id)) this.placedIn.set(next.event.id, incident);
      for (const key of linked) if (!this.incidents.has(key) && !this.byKey.has(key)) this.byKey.set(key, incident);
      this.keepLive(incident, before.group);
      const waiting = this.retractionsByTarget.get(next.event.id);
      const candidates = this.candidates(incident, linked, target === null ? null : before);
      for (const candidate of waiting ? [...candidates, ...waiting] : candidates) {
        const match = this.match(candidate);
        if (match) work.push([candidate, match]);
      }
    }
  }

  private open(event: IncidentEvent): TrackedIncident {
    const id = this.newIncidentId(event);
    if (this.incidents.has(id)) throw new Error(`newIncidentId returned the existing incident id ${id}`);
    const incident = new TrackedIncident(id, { id: event.id, service: event.service, atMs: eventTimeMs(event) }, this.settings.idleMinutes * 60_000);
    this.incidents.set(id, incident);
    return incident;
  }

  /** Its first event may have moved to another service: it lives in the group of its current primary service. */
  private keepLive(incident: TrackedIncident, formerGroup: string | null): void {
    const group = windowGroupOf(incident.service, this.settings);
    if (group !== null && group === formerGroup && this.live.get(group)?.has(incident)) return;
    if (formerGroup !== null) this.live.get(formerGroup)?.delete(incident);
    if (group === null) return;
    let set = this.live.get(group);
    if (!set) this.live.set(group, (set = new Set()));
    set.add(incident);
  }

  /** Unattached events the incident may now take: by a key it just linked, or in the part of its window that is new. */
  private candidates(incident: TrackedIncident, linked: readonly string[], before: { startMs: number; endMs: number; group: string | null } | null): Pending[] {
    if (this.pending.length === 0) return [];
    const found = new Set<Pending>();
    for (const key of linked) for (const item of this.pendingByKey.get(key) ?? []) if (!item.placed) found.add(item);
    const group = windowGroupOf(incident.service, this.settings);
    if (group !== null) {
      const startMs = incident.first.atMs - this.marginMs;
      const sameGroup = before !== null && before.group === group;
      const ranges: [number, number][] = !sameGroup
        ? [[startMs, incident.endMs]]
        : [
            [startMs, Math.min(incident.endMs, before.startMs - this.marginMs)],
            [Math.max(startMs, before.endMs), incident.endMs],
          ];
      const list = this.pendingByGroup.get(group) ?? [];
      for (const [from, to] of ranges) {
        if (from > to) continue;
        for (let i = lowerBound(list, from); i < list.length && list[i]!.atMs <= to; i += 1) if (!list[i]!.placed) found.add(list[i]!);
      }
    }
    return [...found].sort((a, b) => compareEvents(a.event, b.event));
  }

  private keepUnattached(item: Pending): void {
    this.pending.push(item);
    if (item.event.type === 'event.retracted') {
      const target = item.event.data.eventId;
      this.retractionsByTarget.set(target, [...(this.retractionsByTarget.get(target) ?? []), item]);
      return;
    }
    for (const key of item.keys) {
      const list = this.pendingByKey.get(key);
      if (list) list.push(item);
      else this.pendingByKey.set(key, [item]);
    }
    const group = windowGroupOf(item.event.service, this.settings);
    if (group === null) return;
    const list = this.pendingByGroup.get(group);
    // Appended in event-time order, so each list stays sorted by time.
    if (list) list.push(item);
    else this.pendingByGroup.set(group, [item]);
  }
}

function lowerBound(list: readonly Pending[], atMs: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.atMs < atMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
