import type { EntityManager } from 'typeorm';
import type { IncidentEvent } from '@app/domain';
import { payloadDigest } from './canonical-json.js';

export interface IncomingEvent {
  event: IncidentEvent;
  partition?: number;
  offset?: string;
}

export interface FreshEvent extends IncomingEvent {
  /** sha256 of the canonical JSON: tells a re-delivery from a conflicting re-use of the id. */
  digest: string;
}

export interface ClassifiedBatch {
  /** Events not stored yet, first occurrence of each id, in the order given. */
  fresh: FreshEvent[];
  /** Re-deliveries of an event already stored (or earlier in the batch) with the same content: no-ops. */
  duplicates: number;
  /** Same id, different content: the first write wins; these are recorded in event_conflicts. */
  conflicts: IncidentEvent[];
}

/**
 * Sorts a batch into fresh events, duplicates and conflicts. The caller holds the correlation lock,
 * so no other transaction stores these ids meanwhile; the event id stays the primary key regardless.
 */
export async function classifyBatch(manager: EntityManager, incoming: IncomingEvent[]): Promise<ClassifiedBatch> {
  const firstById = new Map<string, FreshEvent>();
  const conflicts: IncidentEvent[] = [];
  let duplicates = 0;
  for (const item of incoming) {
    const digest = payloadDigest(item.event);
    const seen = firstById.get(item.event.id);
    if (!seen) firstById.set(item.event.id, { ...item, digest });
    else if (seen.digest === digest) duplicates += 1;
    else conflicts.push(item.event);
  }
  if (firstById.size === 0) return { fresh: [], duplicates, conflicts };
  const stored: { event_id: string; payload_sha256: string }[] = await manager.query(
    'SELECT event_id, payload_sha256 FROM events WHERE event_id = ANY($1::text[])',
    [[...firstById.keys()]],
  );
  const storedDigest = new Map(stored.map((row) => [row.event_id, row.payload_sha256]));
  const fresh: FreshEvent[] = [];
  for (const [id, item] of firstById) {
    const existing = storedDigest.get(id);
    if (existing === undefined) fresh.push(item);
    else if (existing === item.digest) duplicates += 1;
    else conflicts.push(item.event);
  }
  if (conflicts.length > 0) {
    await manager.query('INSERT INTO event_conflicts (event_id, payload) SELECT * FROM unnest($1::text[], $2::jsonb[])', [
      conflicts.map((e) => e.id),
      conflicts.map((e) => JSON.stringify(e)),
    ]);
  }
  return { fresh, duplicates, conflicts };
}

/**
 * Appends fresh events to the log, each with the incident correlation placed it in (null: unattached).
 * The rows travel as one JSON document, like saveIncidents': a jsonb[] parameter is escaped into an
 * array literal and parsed twice.
 */
export async function insertEvents(manager: EntityManager, fresh: FreshEvent[], incidentOf: ReadonlyMap<string, string | null>): Promise<void> {
  if (fresh.length === 0) return;
  const rows = fresh.map((u) => ({
    event: u.event,
    digest: u.digest,
    incident_id: incidentOf.get(u.event.id) ?? null,
    kafka_partition: u.partition ?? null,
    kafka_offset: u.offset ?? null,
  }));
  await manager.query(
    `INSERT INTO events (event_id, type, service, incident_key, occurred_at, payload, payload_sha256, incident_id, kafka_partition, kafka_offset)
     SELECT r.event->>'id', r.event->>'type', r.event->>'service', r.event->>'incidentKey', (r.event->>'occurredAt')::timestamptz,
            r.event, r.digest, r.incident_id, r.kafka_partition, r.kafka_offset
     FROM jsonb_to_recordset($1::jsonb) AS r (event jsonb, digest text, incident_id text, kafka_partition int, kafka_offset bigint)
     ON CONFLICT (event_id) DO NOTHING`,
    [JSON.stringify(rows)],
  );
}

/** Moves stored events to the incident correlation now places them in (null: unattached again). */
export async function moveEvents(manager: EntityManager, moves: readonly [string, string | null][]): Promise<void> {
  if (moves.length === 0) return;
  await manager.query(
    `UPDATE events SET incident_id = placed.incident_id
     FROM unnest($1::text[], $2::text[]) AS placed (event_id, incident_id)
     WHERE events.event_id = placed.event_id`,
    [moves.map(([eventId]) => eventId), moves.map(([, incidentId]) => incidentId)],
  );
}
