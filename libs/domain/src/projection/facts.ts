import { eventTimeMs } from '../events/ordering.js';
import type { Severity } from '../events/primitives.js';
import type { FirstOccurrenceKey, IncidentState, Sourced, TimePoint } from './state.js';

/** Where an event sits in time, as the state records it (canonical UTC). */
export function pointOf(event: { id: string; occurredAt: string }): TimePoint {
  return { at: new Date(eventTimeMs(event)).toISOString(), eventId: event.id };
}

export function sourced<T>(value: T, point: TimePoint): Sourced<T> {
  return { value, ...point };
}

/** Events are folded in order, so the first one recorded is the first occurrence. */
export function recordFirst(state: IncidentState, key: FirstOccurrenceKey, point: TimePoint): IncidentState {
  if (state.firstOccurrences[key]) return state;
  return { ...state, firstOccurrences: { ...state.firstOccurrences, [key]: point } };
}

/** P1 is most severe; on a tie the earlier report is kept as the source. */
export function mostSevere(current: Sourced<Severity> | null, candidate: Sourced<Severity>): Sourced<Severity> {
  if (!current) return candidate;
  return candidate.value < current.value ? candidate : current;
}

/** Primary service first, then impacted services in event-time order, without repeats. */
export function listServices(primary: string | null, impacted: readonly { service: string }[]): string[] {
  const names = [...(primary ? [primary] : []), ...impacted.map((entry) => entry.service)];
  return [...new Set(names)];
}

export function insertSortedUnique(values: readonly string[], value: string): string[] {
  if (values.includes(value)) return [...values];
  return [...values, value].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
