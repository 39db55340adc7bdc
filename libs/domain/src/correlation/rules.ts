import type { IncidentEvent } from '../events/envelope.js';
import type { EventType } from '../events/event-types.js';
import { eventTimeMs } from '../events/ordering.js';
import type { CorrelationIndex, IndexedIncident } from './index-model.js';

/* EVENTS.md's correlation rules 1-3 as pure look-ups; rule 4 (keep unattached) is the caller's fallback. */

/** Rule 1: the key is an incident id, or a key already linked to an incident. */
export function matchByKey(index: CorrelationIndex, event: IncidentEvent): string | null {
  const key = event.incidentKey;
  if (key === undefined) return null;
  if (index.incidents.has(key)) return key;
  return index.keyToIncident.get(key) ?? null;
}

/** Whether the incident's window, from (first event - margin) to its resolution, contains `atMs`. */
export function windowContains(incident: IndexedIncident, atMs: number, marginMs: number): boolean {
  if (atMs < incident.firstEventAtMs - marginMs) return false;
  return incident.resolvedAtMs === null || atMs <= incident.resolvedAtMs;
}

/** Started later: by first event time, then first event id, then incident id (a total order). */
function startedAfter(a: IndexedIncident, b: IndexedIncident): boolean {
  if (a.firstEventAtMs !== b.firstEventAtMs) return a.firstEventAtMs > b.firstEventAtMs;
  if (a.firstEventId !== b.firstEventId) return a.firstEventId > b.firstEventId;
  return a.id > b.id;
}

/** Rule 2: an incident of the event's service whose window covers it; of several, the one that started last. */
export function matchByWindow(index: CorrelationIndex, event: IncidentEvent, marginMs: number): string | null {
  const atMs = eventTimeMs(event);
  let best: IndexedIncident | null = null;
  for (const incident of index.incidents.values()) {
    if (incident.service !== event.service || !windowContains(incident, atMs, marginMs)) continue;
    if (!best || startedAfter(incident, best)) best = incident;
  }
  return best?.id ?? null;
}

/** Rule 3: the types that may open an incident. */
export const OPENING_EVENT_TYPES: readonly EventType[] = ['alert.triggered', 'page.sent', 'incident.declared'];

export function opensIncident(event: IncidentEvent): boolean {
  return OPENING_EVENT_TYPES.includes(event.type);
}
