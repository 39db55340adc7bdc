import type { EntityManager } from 'typeorm';
import type { IncidentEvent } from '@app/domain';

/** A copy of an event to store: its incident is null when no incident holds it any more; -1 for an unnumbered message. */
export interface Placement {
  event: IncidentEvent;
  incidentId: string | null;
  sequence: number;
}

export interface StoredPlacements {
  /** Incidents that gained or lost events. */
  touched: string[];
  /** Events newly stored in each incident that gained them only so (no copy moved in or out). */
  appended: Map<string, IncidentEvent[]>;
}

/** A consumer's copy of the timeline: event_id, incident_id, sequence, payload (the renderer's, the notifier's). */
export type EventCopyTable = 'renderer_events' | 'notifier_events';

/**
 * Stores each event's newest placement in a consumer's copy of the timeline, in one statement: a re-delivery
 * or an older placement changes nothing, a newer one moves the copy (a NULL incident: no incident holds it,
 * as a late event split or joined incidents). Returns the incidents that gained or lost events, and the
 * events newly stored in incidents that neither gained nor lost a copy moved between incidents.
 */
export async function storePlacements(manager: EntityManager, table: EventCopyTable, placements: readonly Placement[]): Promise<StoredPlacements> {
  if (placements.length === 0) return { touched: [], appended: new Map() };
  // One row per event (an upsert may not touch a row twice): its newest placement in this batch.
  const newest = new Map<string, Placement>();
  for (const placement of placements) {
    const seen = newest.get(placement.event.id);
    if (!seen || seen.sequence <= placement.sequence) newest.set(placement.event.id, placement);
  }
  // One JSON document rather than a jsonb[] parameter, which pg sends as an escaped array literal. The
  // statement's snapshot still shows each copy's former incident beside the upsert's result.
  const rows: { event_id: string; incident_id: string | null; former: string | null; fresh: boolean }[] = await manager.query(
    `WITH incoming AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(event_id text, incident_id text, sequence bigint, payload jsonb)
     ), former AS (
       SELECT e.event_id, e.incident_id FROM ${table} e JOIN incoming i ON i.event_id = e.event_id
     ), stored AS (
       INSERT INTO ${table} (event_id, incident_id, sequence, payload)
       SELECT event_id, incident_id, sequence, payload FROM incoming
       ON CONFLICT (event_id) DO UPDATE SET incident_id = excluded.incident_id, sequence = excluded.sequence
         WHERE excluded.sequence > COALESCE(${table}.sequence, -1)
       RETURNING event_id, incident_id
     )
     SELECT s.event_id, s.incident_id, f.incident_id AS former, f.event_id IS NULL AS fresh FROM stored s LEFT JOIN former f ON f.event_id = s.event_id
     WHERE f.event_id IS NULL OR f.incident_id IS DISTINCT FROM s.incident_id`,
    [JSON.stringify([...newest.values()].map((p) => ({ event_id: p.event.id, incident_id: p.incidentId, sequence: p.sequence < 0 ? null : p.sequence, payload: p.event })))],
  );
  const touched = [...new Set(rows.flatMap((row) => [row.incident_id, row.former]).filter((id): id is string => id !== null))];
  const moved = new Set(rows.filter((row) => !row.fresh).flatMap((row) => [row.incident_id, row.former]));
  const appended = new Map<string, IncidentEvent[]>();
  for (const row of rows) {
    if (!row.fresh || row.incident_id === null || moved.has(row.incident_id)) continue;
    const events = appended.get(row.incident_id) ?? [];
    // The payload stored is that of the placement inserted: the one a re-projection would read.
    events.push(newest.get(row.event_id)!.event);
    appended.set(row.incident_id, events);
  }
  return { touched, appended };
}

/** The ids among `eventIds` that a stored retraction names, whatever incident holds it (an index answers). */
export async function retractedAmong(manager: EntityManager, table: EventCopyTable, eventIds: readonly string[]): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  const named: { target: string }[] = await manager.query(
    `SELECT DISTINCT payload->'data'->>'eventId' AS target FROM ${table}
     WHERE payload->>'type' = 'event.retracted' AND (payload->'data'->>'eventId') = ANY($1::text[])`,
    [eventIds],
  );
  return new Set(named.map((row) => row.target));
}

/**
 * Serialises a consumer's batches that touch one incident (`lock`: its ADVISORY_LOCKS key space). A copy
 * moving between incidents travels on two partitions, so two instances can touch one incident at once:
 * each must then read the other's committed events and state. Taken in id order (no deadlock between two
 * batches), after the events are stored and before anything is read back.
 */
export async function lockIncidents(manager: EntityManager, lock: number, incidentIds: readonly string[]): Promise<void> {
  if (incidentIds.length === 0) return;
  // unnest keeps the array's order, so the locks are taken sorted.
  await manager.query('SELECT pg_advisory_xact_lock($1::int, hashtext(id)) FROM unnest($2::text[]) AS id', [lock, [...new Set(incidentIds)].sort()]);
}
