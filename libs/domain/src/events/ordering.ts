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
  return orderEventsTimed(events).events;
}

/**
 * orderEvents, with each event's time (epoch ms) at the same index, for callers that need both: each
 * instant is parsed once, not in every comparison (sorting dominated re-projection otherwise), and a
 * million events cost two flat arrays rather than an object each.
 */
export function orderEventsTimed<E extends Timed>(events: readonly E[]): { events: E[]; atMs: Float64Array } {
  const seen = new Set<string>();
  const unique: E[] = [];
  for (const event of events) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    unique.push(event);
  }
  const times = Float64Array.from(unique, eventTimeMs);
  const order = Array.from(unique, (_, i) => i);
  order.sort((a, b) => times[a]! - times[b]! || (unique[a]!.id < unique[b]!.id ? -1 : unique[a]!.id > unique[b]!.id ? 1 : 0));
  return { events: order.map((i) => unique[i]!), atMs: Float64Array.from(order, (i) => times[i]!) };
}
