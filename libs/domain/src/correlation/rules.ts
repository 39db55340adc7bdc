import type { IncidentEvent } from '../events/envelope.js';
import type { EventType } from '../events/event-types.js';
import { eventTimeMs } from '../events/ordering.js';
import type { CorrelationIndex, IndexedIncident } from './index-model.js';

/* EVENTS.md's correlation rules 1-3 as pure look-ups; rule 4 (keep unattached) is the caller's fallback. */

/** Every key of an event: its incidentKey, then each correlationKeys entry, without repeats. */
export function eventKeys(event: Pick<IncidentEvent, 'incidentKey' | 'correlationKeys'>): string[] {
  const keys = event.incidentKey === undefined ? [] : [event.incidentKey];
  for (const key of event.correlationKeys ?? []) if (!keys.includes(key)) keys.push(key);
  return keys;
}

/** The incident a key names: the key is an incident id, or a key linked to an incident. */
export function incidentOfKey(index: CorrelationIndex, key: string): string | null {
  if (index.incidents.has(key)) return key;
  return index.keyToIncident.get(key) ?? null;
}

/** The distinct incidents the event's keys name, the one that started first first. */
export function incidentsOfKeys(index: CorrelationIndex, event: IncidentEvent): string[] {
  const ids = [...new Set(eventKeys(event).flatMap((key) => incidentOfKey(index, key) ?? []))];
  const known = ids.flatMap((id) => index.incidents.get(id) ?? []);
  return known.sort((a, b) => (startedAfter(a, b) ? 1 : -1)).map((incident) => incident.id);
}

/**
 * Rule 1 over every key (EVENTS.md, December additions): if any key is linked, the event belongs to that
 * incident; keys linked to different incidents send it to the one that started first (the others are then
 * possible duplicates, see possibleDuplicates). A retraction belongs where its target is, never by key.
 */
export function matchByKey(index: CorrelationIndex, event: IncidentEvent): string | null {
  if (event.type === 'event.retracted') return null;
  return incidentsOfKeys(index, event)[0] ?? null;
}

/** Whether the incident's window, from (first event - margin) to its resolution, contains `atMs`. */
export function windowContains(incident: IndexedIncident, atMs: number, marginMs: number): boolean {
  if (atMs < incident.firstEventAtMs - marginMs) return false;
  return incident.resolvedAtMs === null || atMs <= incident.resolvedAtMs;
}

/** Started later: by first event time, then first event id, then incident id (a total order). */
export function startedAfter(a: IndexedIncident, b: IndexedIncident): boolean {
  if (a.firstEventAtMs !== b.firstEventAtMs) return a.firstEventAtMs > b.firstEventAtMs;
  if (a.firstEventId !== b.firstEventId) return a.firstEventId > b.firstEventId;
  return a.id > b.id;
}

/** Rule 2: an incident of the event's service whose window covers it; of several, the one that started last. */
export function matchByWindow(index: CorrelationIndex, event: IncidentEvent, marginMs: number): string | null {
  if (!CORRELATES_BY_WINDOW(event)) return null;
  const atMs = eventTimeMs(event);
  let best: IndexedIncident | null = null;
  for (const incident of index.incidents.values()) {
    if (incident.service !== event.service || !windowContains(incident, atMs, marginMs)) continue;
    if (!best || startedAfter(incident, best)) best = incident;
  }
  return best?.id ?? null;
}

/**
 * A retraction goes where its target is, and a merge names its incident by key: a time window says nothing
 * about which incident either of them is about.
 */
const CORRELATES_BY_WINDOW = (event: IncidentEvent) => event.type !== 'event.retracted' && event.type !== 'incident.merged';

/** Rule 3: the types that may open an incident. */
export const OPENING_EVENT_TYPES: readonly EventType[] = ['alert.triggered', 'page.sent', 'incident.declared'];

export function opensIncident(event: IncidentEvent): boolean {
  return OPENING_EVENT_TYPES.includes(event.type);
}
