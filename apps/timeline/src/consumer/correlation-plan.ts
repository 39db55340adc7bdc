import {
  buildCorrelationIndex,
  correlateEach,
  indexEntryFromState,
  orderEvents,
  reattach,
  type CorrelationOptions,
  type IncidentEvent,
  type IncidentState,
  type IndexedIncident,
} from '@app/domain';

export interface CorrelationPlan {
  /** Newly attached events by incident, fresh and formerly unattached alike. */
  attachments: Map<string, IncidentEvent[]>;
  opened: Set<string>;
  /** Fresh events no incident takes yet (rule 4). */
  unattached: IncidentEvent[];
}

/**
 * Pure: places the fresh events (rules 1-3, in event-time order), then offers every unattached event
 * to the incidents again (rule 4), against the incidents known to the store.
 */
export function planCorrelation(
  known: Iterable<IncidentState>,
  fresh: readonly IncidentEvent[],
  storedUnattached: readonly IncidentEvent[],
  options: CorrelationOptions,
): CorrelationPlan {
  const entries = [...known].map(indexEntryFromState).filter((entry): entry is IndexedIncident => entry !== null);
  const index = buildCorrelationIndex(entries);
  const attachments = new Map<string, IncidentEvent[]>();
  const opened = new Set<string>();
  const attach = (incidentId: string, event: IncidentEvent) => {
    const list = attachments.get(incidentId);
    if (list) list.push(event);
    else attachments.set(incidentId, [event]);
  };
  const freshUnattached: IncidentEvent[] = [];
  const placed = correlateEach(index, orderEvents(fresh), options);
  for (const { event, decision } of placed.decisions) {
    if (decision.kind === 'unattached') freshUnattached.push(event);
    else {
      if (decision.kind === 'open') opened.add(decision.incidentId);
      attach(decision.incidentId, event);
    }
  }
  const again = reattach(placed.index, [...storedUnattached, ...freshUnattached], options);
  for (const { event, incidentId } of again.attached) attach(incidentId, event);
  const freshIds = new Set(fresh.map((event) => event.id));
  return { attachments, opened, unattached: again.unattached.filter((event) => freshIds.has(event.id)) };
}
