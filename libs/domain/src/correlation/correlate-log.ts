import type { IncidentEvent } from '../events/envelope.js';
import { orderEvents } from '../events/ordering.js';
import type { CorrelationOptions } from './correlate.js';
import { mergeIncidentsOf } from './corrections.js';
import { incidentIdFor } from './incident-id.js';
import { type CorrelationIndex, DEFAULT_CORRELATION_MARGIN_MINUTES } from './index-model.js';
import { planCorrelation } from './plan-correlation.js';

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
  /** Incidents merged away (`incident.merged`) -> the incident that answers for them. */
  aliases: Map<string, string>;
}

/**
 * Correlates a whole log in memory (CLI, tests): the pipeline's planCorrelation with no incident known yet,
 * so both name and fill incidents the same way. Duplicates are dropped; merges are applied last, in event-time order.
 */
export function correlateLog(events: readonly IncidentEvent[], options: Partial<CorrelationOptions> = {}): CorrelatedLog {
  const marginMinutes = options.marginMinutes ?? DEFAULT_CORRELATION_MARGIN_MINUTES;
  const newIncidentId = options.newIncidentId ?? incidentIdFor;
  const plan = planCorrelation([], events, [], { marginMinutes, newIncidentId });
  const { members, aliases } = mergeIncidentsOf(plan.attachments, plan.index);
  const incidents = [...plan.index.incidents.values()]
    .filter((incident) => !aliases.has(incident.id))
    .sort((a, b) => a.firstEventAtMs - b.firstEventAtMs || (a.firstEventId < b.firstEventId ? -1 : 1))
    .map((incident) => ({ id: incident.id, events: orderEvents(members.get(incident.id) ?? []) }));
  return { incidents, unattached: orderEvents(plan.unattached), index: plan.index, aliases };
}
