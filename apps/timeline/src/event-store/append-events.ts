import type { EntityManager } from 'typeorm';
import type { IncidentEvent } from '@app/domain';
import { payloadDigest } from './canonical-json.js';

export interface IncomingEvent {
  event: IncidentEvent;
  partition?: number;
  offset?: string;
}

export interface AppendResult {
  /** Events stored by this call, in the order given. */
  fresh: IncidentEvent[];
  /** Re-deliveries of an event already stored with the same content: no-ops. */
  duplicates: number;
  /** Same id, different content: the first write wins; these are recorded in event_conflicts. */
  conflicts: IncidentEvent[];
}

/**
 * Appends a batch to the event log. The event id is the primary key, so a re-delivered event
 * is a no-op whatever crashed or retried before.
 */
export async function appendEvents(manager: EntityManager, incoming: IncomingEvent[]): Promise<AppendResult> {
  const byId = new Map<string, IncomingEvent & { digest: string }>();
  const conflicts: IncidentEvent[] = [];
  let duplicates = 0;
  for (const item of incoming) {
    const digest = payloadDigest(item.event);
    const seen = byId.get(item.event.id);
    if (!seen) byId.set(item.event.id, { ...item, digest });
    else if (seen.digest === digest) duplicates += 1;
    else conflicts.push(item.event);
  }
  const unique = [...byId.values()];
  if (unique.length === 0) return { fresh: [], duplicates, conflicts };

  const inserted: { event_id: string }[] = await manager.query(
    `INSERT INTO events (event_id, type, service, incident_key, occurred_at, payload, payload_sha256, kafka_partition, kafka_offset)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::jsonb[], $7::text[], $8::int[], $9::bigint[])
     ON CONFLICT (event_id) DO NOTHING
     RETURNING event_id`,
    [
      unique.map((u) => u.event.id),
      unique.map((u) => u.event.type),
      unique.map((u) => u.event.service),
      unique.map((u) => u.event.incidentKey ?? null),
      unique.map((u) => u.event.occurredAt),
      unique.map((u) => JSON.stringify(u.event)),
      unique.map((u) => u.digest),
      unique.map((u) => u.partition ?? null),
      unique.map((u) => u.offset ?? null),
    ],
  );
  const insertedIds = new Set(inserted.map((row) => row.event_id));
  const fresh = unique.filter((u) => insertedIds.has(u.event.id)).map((u) => u.event);
  const already = unique.filter((u) => !insertedIds.has(u.event.id));
  if (already.length > 0) {
    const stored: { event_id: string; payload_sha256: string }[] = await manager.query(
      'SELECT event_id, payload_sha256 FROM events WHERE event_id = ANY($1::text[])',
      [already.map((u) => u.event.id)],
    );
    const storedDigest = new Map(stored.map((row) => [row.event_id, row.payload_sha256]));
    for (const item of already) {
      if (storedDigest.get(item.event.id) === item.digest) duplicates += 1;
      else conflicts.push(item.event);
    }
  }
  if (conflicts.length > 0) {
    await manager.query(
      'INSERT INTO event_conflicts (event_id, payload) SELECT * FROM unnest($1::text[], $2::jsonb[])',
      [conflicts.map((e) => e.id), conflicts.map((e) => JSON.stringify(e))],
    );
  }
  return { fresh, duplicates, conflicts };
}
