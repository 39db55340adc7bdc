import type { IncidentEvent } from '../events/envelope.js';
import { orderEvents } from '../events/ordering.js';
import { correlateEach, type CorrelationOptions } from './correlate.js';
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
  const { decisions, index } = correlateEach(emptyCorrelationIndex(), orderEvents(events), { marginMinutes, newIncidentId });
  const members = new Map<string, IncidentEvent[]>();
  const join = (incidentId: string, event: IncidentEvent) => {
    const list = members.get(incidentId);
    if (list) list.push(event);
    else members.set(incidentId, [event]);
  };
  const unattached: IncidentEvent[] = [];
  for (const { event, decision } of decisions) {
    if (decision.kind === 'unattached') unattached.push(event);
    else join(decision.incidentId, event);
  }
  const late = reattach(index, unattached, { marginMinutes });
  for (const { event, incidentId } of late.attached) join(incidentId, event);
  const incidents = [...late.index.incidents.values()]
    .sort((a, b) => a.firstEventAtMs - b.firstEventAtMs || (a.firstEventId < b.firstEventId ? -1 : 1))
    .map((incident) => ({ id: incident.id, events: orderEvents(members.get(incident.id) ?? []) }));
  return { incidents, unattached: late.unattached, index: late.index };
}
