import type { IncidentStatusValue } from '../events/primitives.js';
import { startedAfter } from './rules.js';

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
  /** Keys seen on the incident's events (incidentKey and correlationKeys), sorted; see putIncident for links. */
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

/**
 * A private copy that a batch operation updates in place: one copy per batch instead of one per
 * event, which made correlating a batch quadratic. Never handed out while it is being changed.
 */
export interface WorkingIndex {
  incidents: Map<string, IndexedIncident>;
  keyToIncident: Map<string, string>;
}

export function workingCopy(index: CorrelationIndex): WorkingIndex {
  return { incidents: new Map(index.incidents), keyToIncident: new Map(index.keyToIncident) };
}

/**
 * Adds or replaces an incident in a working index and links its keys to it. A key several incidents carry
 * (rule 1 over several keys: an event joins the incident that started first and links all its keys to it)
 * links to the one that started first, so the links are the same whatever order incidents are put in.
 */
export function putIncident(index: WorkingIndex, incident: IndexedIncident): void {
  index.incidents.set(incident.id, incident);
  for (const key of incident.keys) {
    const linked = index.keyToIncident.get(key);
    const holder = linked === undefined ? undefined : index.incidents.get(linked);
    if (!holder || holder.id === incident.id || startedAfter(holder, incident)) index.keyToIncident.set(key, incident.id);
  }
}

/** Adds or replaces an incident and links its keys to it. */
export function withIndexedIncident(index: CorrelationIndex, incident: IndexedIncident): CorrelationIndex {
  const next = workingCopy(index);
  putIncident(next, incident);
  return next;
}

export function buildCorrelationIndex(incidents: Iterable<IndexedIncident>): CorrelationIndex {
  const index = workingCopy(emptyCorrelationIndex());
  for (const incident of incidents) putIncident(index, incident);
  return index;
}
