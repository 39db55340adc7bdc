import type { EntityManager } from 'typeorm';
import type { IncidentEvent } from '@app/domain';

/**
 * The transactional outbox: committed with the events, published to incident-timeline.v1 afterwards.
 * A row names its event (the relay joins the payload); rows are inserted in the order given, so `seq`
 * keeps each incident's events in that order.
 */
export async function enqueueTimeline(manager: EntityManager, attachments: ReadonlyMap<string, readonly IncidentEvent[]>): Promise<void> {
  const incidentIds: string[] = [];
  const eventIds: string[] = [];
  for (const [incidentId, events] of attachments) {
    for (const event of events) {
      incidentIds.push(incidentId);
      eventIds.push(event.id);
    }
  }
  if (eventIds.length === 0) return;
  await manager.query(
    `INSERT INTO timeline_outbox (incident_id, event_id)
     SELECT t.incident_id, t.event_id FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t (incident_id, event_id, n)
     ORDER BY t.n`,
    [incidentIds, eventIds],
  );
}

/** Events no incident holds any more, each published under the incident that held it, with `detached`. */
export async function enqueueDetached(manager: EntityManager, detached: readonly { eventId: string; from: string }[]): Promise<void> {
  if (detached.length === 0) return;
  await manager.query(
    `INSERT INTO timeline_outbox (incident_id, event_id, detached)
     SELECT t.incident_id, t.event_id, true FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t (incident_id, event_id, n)
     ORDER BY t.n`,
    [detached.map((entry) => entry.from), detached.map((entry) => entry.eventId)],
  );
}
