import type { IncidentEvent } from '../events/envelope.js';
import { eventTimeMs } from '../events/ordering.js';
import type { IndexedIncident } from './index-model.js';
import { eventKeys } from './rules.js';

/** The canonical event order (time, then id) on already-parsed instants. */
function isBefore(aMs: number, aId: string, bMs: number, bId: string): boolean {
  return aMs !== bMs ? aMs < bMs : aId < bId;
}

/** A new incident seeded by the event that opens it. */
export function incidentOpenedBy(id: string, event: IncidentEvent): IndexedIncident {
  const seed: IndexedIncident = {
    id,
    service: event.service,
    firstEventAtMs: eventTimeMs(event),
    firstEventId: event.id,
    resolvedAtMs: null,
    lastStatus: null,
    keys: [],
  };
  return absorbEvent(seed, event);
}

/**
 * Updates an incident's index entry with an event that joined it: an earlier event moves
 * the window start (and the primary service) back; a status.changed later than the last
 * one seen closes (resolved) or reopens (any other status) the window; its keys are linked (those not
 * linked to another incident already).
 */
export function absorbEvent(incident: IndexedIncident, event: IncidentEvent): IndexedIncident {
  const atMs = eventTimeMs(event);
  let next = { ...incident };
  if (isBefore(atMs, event.id, incident.firstEventAtMs, incident.firstEventId)) {
    next = { ...next, firstEventAtMs: atMs, firstEventId: event.id, service: event.service };
  }
  const added = eventKeys(event).filter((key) => !next.keys.includes(key));
  if (added.length > 0) next = { ...next, keys: [...next.keys, ...added].sort() };
  if (event.type === 'status.changed') {
    const last = next.lastStatus;
    if (!last || isBefore(last.atMs, last.eventId, atMs, event.id)) {
      const status = event.data.status;
      const stillResolved = status === 'resolved' && last?.status === 'resolved' && next.resolvedAtMs !== null;
      const resolvedAtMs = status !== 'resolved' ? null : stillResolved ? next.resolvedAtMs : atMs;
      next = { ...next, lastStatus: { atMs, eventId: event.id, status }, resolvedAtMs };
    }
  }
  return next;
}
