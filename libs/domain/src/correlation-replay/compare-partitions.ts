import type { IncidentEvent } from '../events/envelope.js';
import { eventTimeMs } from '../events/ordering.js';
import { correlateLog, type CorrelateOptions } from '../correlation/correlate-log.js';
import type { StoredPlacement } from '../correlation/plan-correlation.js';

/** Events that go from one incident to another (null: unattached), in event-time order. */
export interface MovedEvents {
  from: string | null;
  to: string | null;
  eventIds: string[];
}

export interface PartitionComparison {
  events: number;
  stored: { incidents: number; unattached: number };
  replayed: { incidents: number; unattached: number };
  /** Replayed incidents holding exactly the events of the stored incident of their id. */
  unchanged: Set<string>;
  /** Every other replayed incident, with its events (what a replay projects to get its figures). */
  changed: { id: string; eventIds: string[] }[];
  /** Stored incidents that are not unchanged, each with its number of events. */
  changedStored: { id: string; events: number }[];
  /** Replayed incidents holding events of two or more stored incidents. */
  merged: { into: string; from: string[]; events: number }[];
  /** Stored incidents whose events go to two or more replayed incidents. */
  split: { from: string; into: string[]; events: number }[];
  moved: MovedEvents[];
  /** Orders incident ids (stored or replayed) by when they started. */
  compareStarts(a: string, b: string): number;
}

interface Start {
  atMs: number;
  eventId: string;
}

const startsBefore = (a: Start, b: Start) => (a.atMs !== b.atMs ? a.atMs < b.atMs : a.eventId < b.eventId);

/**
 * Correlates the stored events again under `options` (correlateLog, the one correlation) and compares the
 * result with where they are stored. Incidents are the same incident when they carry the same id (ids name
 * the opening event, so the same events give the same id). Lists come in the order the incidents started.
 * Pure.
 */
export function comparePartitions(stored: readonly StoredPlacement[], options: CorrelateOptions = {}): PartitionComparison {
  const log = correlateLog(stored.map((placement) => placement.event), options);
  // Built after correlating, when what correlation allocated for ordering is garbage: a million entries.
  const storedIn = new Map<IncidentEvent, string | null>();
  const storedCount = new Map<string, number>();
  for (const { event, incidentId } of stored) {
    storedIn.set(event, incidentId);
    if (incidentId !== null) storedCount.set(incidentId, (storedCount.get(incidentId) ?? 0) + 1);
  }

  // Where each incident starts (its earliest event, stored or replayed): lists follow it. A replayed
  // incident's events come in event-time order, so a stored incident's first event in it is the first seen.
  const starts = new Map<string, Start>();
  const startAt = (id: string, event: IncidentEvent) => {
    const start = { atMs: eventTimeMs(event), eventId: event.id };
    const seen = starts.get(id);
    if (!seen || startsBefore(start, seen)) starts.set(id, start);
  };
  const sources = new Map<string, Set<string>>();
  const targets = new Map<string, Set<string>>();
  const detached = new Set<string>();
  const moves = new Map<string, MovedEvents>();
  // The pair placed last: a replayed incident's events mostly come from one stored incident in a row.
  let last: [string | null, string | null] = [null, null];
  const place = (event: IncidentEvent, to: string | null) => {
    const from = storedIn.get(event) ?? null;
    if (from !== null && (from !== last[0] || to !== last[1])) {
      last = [from, to];
      const firstHere = to === null ? addOnce(detached, from) : addTo(sources, to, from);
      if (firstHere) startAt(from, event);
      if (to !== null) addTo(targets, from, to);
    }
    if (from === to) return;
    const pair = `${from ?? ''}\u0000${to ?? ''}`;
    const move = moves.get(pair);
    if (move) move.eventIds.push(event.id);
    else moves.set(pair, { from, to, eventIds: [event.id] });
  };

  const unchanged = new Set<string>();
  const changed: PartitionComparison['changed'] = [];
  for (const incident of log.incidents) {
    startAt(incident.id, incident.events[0]!);
    for (const event of incident.events) place(event, incident.id);
    const from = sources.get(incident.id);
    const same = from?.size === 1 && from.has(incident.id) && storedCount.get(incident.id) === incident.events.length;
    if (same) unchanged.add(incident.id);
    else changed.push({ id: incident.id, eventIds: incident.events.map((event) => event.id) });
  }
  for (const event of log.unattached) place(event, null);

  const order = byStart(starts);
  const sorted = (ids: Iterable<string>) => [...ids].sort(order);
  const merged = log.incidents
    .filter((incident) => (sources.get(incident.id)?.size ?? 0) >= 2)
    .map((incident) => ({ into: incident.id, from: sorted(sources.get(incident.id)!), events: incident.events.length }));
  const split = sorted([...targets].filter(([, into]) => into.size >= 2).map(([id]) => id)).map((id) => ({
    from: id,
    into: sorted(targets.get(id)!),
    events: storedCount.get(id)!,
  }));
  return {
    events: log.incidents.reduce((sum, incident) => sum + incident.events.length, 0) + log.unattached.length,
    stored: { incidents: storedCount.size, unattached: stored.length - [...storedCount.values()].reduce((sum, n) => sum + n, 0) },
    replayed: { incidents: log.incidents.length, unattached: log.unattached.length },
    unchanged,
    changed,
    changedStored: sorted([...storedCount.keys()].filter((id) => !unchanged.has(id))).map((id) => ({ id, events: storedCount.get(id)! })),
    merged,
    split,
    moved: [...moves.values()].sort((a, b) => order(a.to, b.to) || order(a.from, b.from)),
    compareStarts: order,
  };
}

/**
 * Orders incident ids (null last) by where they start. Made outside comparePartitions so that the function
 * it returns, which the comparison keeps, holds only `starts`, not the stored log the other closures there see.
 */
function byStart(starts: ReadonlyMap<string, Start>): (a: string | null, b: string | null) => number {
  return (a, b) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : startsBefore(starts.get(a)!, starts.get(b)!) ? -1 : 1);
}

/** Adds `value`; whether it was not there yet. */
function addOnce(set: Set<string>, value: string): boolean {
  if (set.has(value)) return false;
  set.add(value);
  return true;
}

/** Adds `value` to the set of `key`; whether it was not there yet. */
function addTo(map: Map<string, Set<string>>, key: string, value: string): boolean {
  const set = map.get(key);
  if (set) return addOnce(set, value);
  map.set(key, new Set([value]));
  return true;
}
