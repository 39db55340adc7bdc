import type { IncidentEvent } from '../events/envelope.js';
import { orderEvents } from '../events/ordering.js';
import { correlate, type CorrelationOptions } from './correlate.js';
import { type CorrelationIndex, DEFAULT_CORRELATION_MARGIN_MINUTES, emptyCorrelationIndex } from './index-model.js';
import { reattach } from './reattach.js';

export interface CorrelatedIncident {
  id: string;
  /** In event-time order. */
  events: IncidentEvent[];
}

export interface CorrelatedLog {
  /** Ordered by first event. */
  incidents: CorrelatedIncident[];
  unattached: IncidentEvent[];
  index: CorrelationIndex;
}

/** Deterministic id for an incident opened while correlating a log in memory. */
export const incidentIdFromOpeningEvent = (event: IncidentEvent): string => `inc-${event.id}`;

/**
 * Correlates a whole log in memory (CLI, tests): events in event-time order, duplicates
 * dropped, then unattached events re-offered until nothing more attaches.
 */
export function correlateLog(events: readonly IncidentEvent[], options: Partial<CorrelationOptions> = {}): CorrelatedLog {
  const marginMinutes = options.marginMinutes ?? DEFAULT_CORRELATION_MARGIN_MINUTES;
  const newIncidentId = options.newIncidentId ?? incidentIdFromOpeningEvent;
  let index = emptyCorrelationIndex();
  const members = new Map<string, IncidentEvent[]>();
  const unattached: IncidentEvent[] = [];
  for (const event of orderEvents(events)) {
    const result = correlate(index, event, { marginMinutes, newIncidentId });
    index = result.index;
    if (result.decision.kind === 'unattached') unattached.push(event);
    else members.set(result.decision.incidentId, [...(members.get(result.decision.incidentId) ?? []), event]);
  }
  const late = reattach(index, unattached, { marginMinutes });
  for (const { event, incidentId } of late.attached) members.set(incidentId, [...(members.get(incidentId) ?? []), event]);
  const incidents = [...late.index.incidents.values()]
    .sort((a, b) => a.firstEventAtMs - b.firstEventAtMs || (a.firstEventId < b.firstEventId ? -1 : 1))
    .map((incident) => ({ id: incident.id, events: orderEvents(members.get(incident.id) ?? []) }));
  return { incidents, unattached: late.unattached, index: late.index };
}
