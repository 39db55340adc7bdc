import type { IncidentStatusValue } from '../events/primitives.js';

/** What correlation needs to know about one incident. */
export interface IndexedIncident {
  id: string;
  /** Service of the incident's earliest event (its primary service). */
  service: string;
  firstEventAtMs: number;
  firstEventId: string;
  /** End of the correlation window; null while the incident is unresolved (open-ended window). */
  resolvedAtMs: number | null;
  /** The latest status.changed seen, so an older one arriving late does not override it. */
  lastStatus: { atMs: number; eventId: string; status: IncidentStatusValue } | null;
  /** incidentKeys linked to the incident, sorted. */
  keys: readonly string[];
}

/**
 * The known incidents and the key -> incident links. An immutable value: every operation
 * returns a new index. Maps (not records) so that keys such as `constructor` are just keys.
 */
export interface CorrelationIndex {
  incidents: ReadonlyMap<string, IndexedIncident>;
  keyToIncident: ReadonlyMap<string, string>;
}

export const DEFAULT_CORRELATION_MARGIN_MINUTES = 30;

export function emptyCorrelationIndex(): CorrelationIndex {
  return { incidents: new Map(), keyToIncident: new Map() };
}

/** Adds or replaces an incident and links its keys to it. */
export function withIndexedIncident(index: CorrelationIndex, incident: IndexedIncident): CorrelationIndex {
  const incidents = new Map(index.incidents);
  incidents.set(incident.id, incident);
  const keyToIncident = new Map(index.keyToIncident);
  for (const key of incident.keys) keyToIncident.set(key, incident.id);
  return { incidents, keyToIncident };
}

export function buildCorrelationIndex(incidents: Iterable<IndexedIncident>): CorrelationIndex {
  let index = emptyCorrelationIndex();
  for (const incident of incidents) index = withIndexedIncident(index, incident);
  return index;
}
