import type { IncidentEvent } from './envelope.js';

type Timed = Pick<IncidentEvent, 'id' | 'occurredAt'>;

/** Event time as epoch ms. occurredAt is stored as sent (any offset), so compare only through this. */
export function eventTimeMs(event: Pick<IncidentEvent, 'occurredAt'>): number {
  return Date.parse(event.occurredAt);
}

/** The canonical event order of EVENTS.md: occurredAt, ties broken by id (code-unit order, locale-free). */
export function compareEvents(a: Timed, b: Timed): number {
  const byTime = eventTimeMs(a) - eventTimeMs(b);
  if (byTime !== 0) return byTime;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** A sorted copy without duplicate ids; the first occurrence of an id wins (re-sends change nothing). */
export function orderEvents<E extends Timed>(events: readonly E[]): E[] {
  return orderEventsTimed(events).map((entry) => entry.event);
}

/** orderEvents, each event with its time (epoch ms), for callers that need both and parse each instant once. */
export function orderEventsTimed<E extends Timed>(events: readonly E[]): { event: E; atMs: number }[] {
  const seen = new Set<string>();
  const keyed: { event: E; atMs: number }[] = [];
  for (const event of events) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    // Parse each instant once, not in every comparison: sorting dominated re-projection otherwise.
    keyed.push({ event, atMs: eventTimeMs(event) });
  }
  keyed.sort((a, b) => a.atMs - b.atMs || (a.event.id < b.event.id ? -1 : a.event.id > b.event.id ? 1 : 0));
  return keyed;
}
