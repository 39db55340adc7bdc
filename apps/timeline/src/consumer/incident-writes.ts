import type { EntityManager } from 'typeorm';
import type { IncidentEvent, IncidentState } from '@app/domain';

const EARLIEST_MS = Date.parse('0001-01-01T00:00:00Z');
const LATEST_MS = Date.parse('9999-12-31T23:59:59.999Z');

/** An instant as ISO text PostgreSQL accepts: event times lie in 0001-9999, a margin may step outside. */
export function storableInstant(ms: number): string {
  return new Date(Math.min(LATEST_MS, Math.max(EARLIEST_MS, ms))).toISOString();
}

/** Incidents that could take any of `events`: by key, or by a window of their service (rules 1 and 2). */
export async function loadCandidateIncidents(manager: EntityManager, events: readonly IncidentEvent[], marginMinutes: number): Promise<IncidentState[]> {
  const keys = [...new Set(events.flatMap((event) => (event.incidentKey ? [event.incidentKey] : [])))];
  const services = [...new Set(events.map((event) => event.service))];
  const times = events.map((event) => Date.parse(event.occurredAt));
  const earliest = storableInstant(Math.min(...times));
  const latestWithMargin = storableInstant(Math.max(...times) + marginMinutes * 60_000);
  // One indexed look-up per way an incident can match; an OR across them would scan the table.
  const rows: { state: IncidentState }[] = await manager.query(
    `SELECT state FROM incidents WHERE id IN (
       SELECT id FROM incidents WHERE id = ANY($1::text[])
       UNION SELECT incident_id FROM incident_keys WHERE key = ANY($1::text[])
       UNION SELECT id FROM incidents WHERE service = ANY($2::text[]) AND resolved_at IS NULL AND first_event_at <= $4
       UNION SELECT id FROM incidents WHERE service = ANY($2::text[]) AND resolved_at >= $3 AND first_event_at <= $4)`,
    [keys, services, earliest, latestWithMargin],
  );
  return rows.map((row) => row.state);
}

/**
 * Stored events still waiting for an incident: those with one of these keys, and those of these
 * services at or after `notBefore` (no window changed by this batch opens earlier than that).
 */
export async function loadUnattached(manager: EntityManager, services: string[], keys: string[], notBefore: string): Promise<IncidentEvent[]> {
  if (services.length === 0 && keys.length === 0) return [];
  const rows: { payload: IncidentEvent }[] = await manager.query(
    `SELECT payload FROM events WHERE incident_id IS NULL AND service = ANY($1::text[]) AND occurred_at >= $3
     UNION ALL
     SELECT payload FROM events WHERE incident_id IS NULL AND incident_key = ANY($2::text[]) AND NOT (service = ANY($1::text[]) AND occurred_at >= $3)`,
    [services, keys, notBefore],
  );
  return rows.map((row) => row.payload);
}

/** Attaches formerly unattached events: [event id, incident id] pairs. */
export async function assignEvents(manager: EntityManager, placements: [string, string][]): Promise<void> {
  if (placements.length === 0) return;
  await manager.query(
    `UPDATE events SET incident_id = placed.incident_id
     FROM unnest($1::text[], $2::text[]) AS placed (event_id, incident_id)
     WHERE events.event_id = placed.event_id AND events.incident_id IS NULL`,
    [placements.map(([eventId]) => eventId), placements.map(([, incidentId]) => incidentId)],
  );
}

/** The stored events of each incident, for re-projection. */
export async function loadIncidentsEvents(manager: EntityManager, incidentIds: string[]): Promise<Map<string, IncidentEvent[]>> {
  const byIncident = new Map<string, IncidentEvent[]>(incidentIds.map((id) => [id, []]));
  if (incidentIds.length === 0) return byIncident;
  const rows: { incident_id: string; payload: IncidentEvent }[] = await manager.query(
    'SELECT incident_id, payload FROM events WHERE incident_id = ANY($1::text[])',
    [incidentIds],
  );
  for (const row of rows) byIncident.get(row.incident_id)!.push(row.payload);
  return byIncident;
}

/**
 * Writes projected states with the columns the API filters on, and links their keys.
 * The rows travel as one JSON document (jsonb_to_recordset) rather than ten arrays: a jsonb[] parameter is
 * sent as an array literal with every state quoted and escaped, then parsed twice by PostgreSQL, which
 * made this upsert about twice as slow (bench/timeline.mjs, docs/benchmarks.md).
 */
export async function saveIncidents(manager: EntityManager, states: IncidentState[]): Promise<void> {
  if (states.length === 0) return;
  const rows = states.map((s) => ({
    id: s.id,
    service: s.primaryService,
    status: s.status,
    is_open: s.open,
    first_event_at: s.firstEventAt,
    resolved_at: s.open ? null : (s.times.resolvedAt?.at ?? null),
    last_event_at: s.lastEventAt,
    last_event_id: s.lastEventId,
    event_count: s.eventCount,
    state: s,
  }));
  await manager.query(
    `INSERT INTO incidents (id, service, status, is_open, first_event_at, resolved_at, last_event_at, last_event_id, event_count, state, updated_at)
     SELECT r.id, r.service, r.status, r.is_open, r.first_event_at, r.resolved_at, r.last_event_at, r.last_event_id, r.event_count, r.state, now()
     FROM jsonb_to_recordset($1::jsonb) AS r (id text, service text, status text, is_open boolean, first_event_at timestamptz,
       resolved_at timestamptz, last_event_at timestamptz, last_event_id text, event_count int, state jsonb)
     ON CONFLICT (id) DO UPDATE SET
       service = excluded.service, status = excluded.status, is_open = excluded.is_open,
       first_event_at = excluded.first_event_at, resolved_at = excluded.resolved_at,
       last_event_at = excluded.last_event_at, last_event_id = excluded.last_event_id,
       event_count = excluded.event_count, state = excluded.state, updated_at = now()`,
    [JSON.stringify(rows)],
  );
  const keys = states.flatMap((s) => s.keys.map((key) => [key, s.id] as const));
  if (keys.length > 0) {
    await manager.query(
      'INSERT INTO incident_keys (key, incident_id) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (key) DO NOTHING',
      [keys.map(([key]) => key), keys.map(([, id]) => id)],
    );
  }
}

/**
 * The transactional outbox: committed with the events, published to incident-timeline.v1 afterwards.
 * A row names its event (the relay joins the payload); rows are inserted in the order given, so `seq`
 * keeps each incident's events in that order.
 */
export async function enqueueTimeline(manager: EntityManager, attachments: Map<string, IncidentEvent[]>): Promise<void> {
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
