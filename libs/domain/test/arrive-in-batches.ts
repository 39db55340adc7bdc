import type { IncidentEvent } from '../src/events/envelope.js';
import { planCorrelation, type StoredPlacement } from '../src/correlation/plan-correlation.js';
import type { CorrelateOptions } from '../src/correlation/correlate-log.js';

/**
 * The pipeline without a database: events arrive in batches of `size` in the order given; each batch is
 * planned against everything stored and the plan applied as the timeline applies it (fresh placements,
 * moves, retired incidents). Returns the stored partition: incidents by id, event ids in event-time order.
 */
export function arriveInBatches(arrival: readonly IncidentEvent[], size: number, options: CorrelateOptions = {}) {
  const stored = new Map<string, StoredPlacement>();
  const incidents = new Set<string>();
  for (let i = 0; i < arrival.length; i += size) {
    const batch = arrival.slice(i, i + size).filter((event) => !stored.has(event.id));
    const plan = planCorrelation([...stored.values()], batch, options);
    for (const event of batch) stored.set(event.id, { event, incidentId: plan.freshPlacement.get(event.id) ?? null });
    for (const [eventId, incidentId] of plan.moves) stored.set(eventId, { event: stored.get(eventId)!.event, incidentId });
    for (const { id } of plan.retired) incidents.delete(id);
    for (const incident of plan.changed) incidents.add(incident.id);
  }
  const byIncident = new Map<string, IncidentEvent[]>([...incidents].map((id) => [id, []]));
  for (const { event, incidentId } of stored.values()) if (incidentId !== null) byIncident.get(incidentId)!.push(event);
  const first = (events: IncidentEvent[]) => events.reduce((a, b) => (Date.parse(a.occurredAt) < Date.parse(b.occurredAt) || (a.occurredAt === b.occurredAt && a.id < b.id) ? a : b));
  return [...byIncident]
    .filter(([, events]) => events.length > 0)
    .map(([id, events]) => ({ id, events: [...events].sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || (a.id < b.id ? -1 : 1)), first: first(events) }))
    .sort((a, b) => Date.parse(a.first.occurredAt) - Date.parse(b.first.occurredAt) || (a.first.id < b.first.id ? -1 : 1))
    .map(({ id, events }) => ({ id, events: events.map((event) => event.id) }));
}
