import type { EntityManager } from 'typeorm';
import type { IncidentEvent, IncidentState } from '@app/domain';

/** Incidents that could take any of `events`: by key, or by a window of their service (rules 1 and 2). */
export async function loadCandidateIncidents(manager: EntityManager, events: readonly IncidentEvent[], marginMinutes: number): Promise<IncidentState[]> {
  const keys = [...new Set(events.flatMap((event) => (event.incidentKey ? [event.incidentKey] : [])))];
  const services = [...new Set(events.map((event) => event.service))];
  const times = events.map((event) => Date.parse(event.occurredAt));
  const earliest = new Date(Math.min(...times)).toISOString();
  const latestWithMargin = new Date(Math.max(...times) + marginMinutes * 60_000).toISOString();
  const rows: { state: IncidentState }[] = await manager.query(
    `SELECT state FROM incidents
     WHERE id = ANY($1::text[])
        OR id IN (SELECT incident_id FROM incident_keys WHERE key = ANY($1::text[]))
        OR (service = ANY($2::text[]) AND (resolved_at IS NULL OR resolved_at >= $3) AND first_event_at <= $4)`,
    [keys, services, earliest, latestWithMargin],
  );
  return rows.map((row) => row.state);
}

/** Stored events still waiting for an incident of one of these services or keys. */
export async function loadUnattached(manager: EntityManager, services: string[], keys: string[]): Promise<IncidentEvent[]> {
  if (services.length === 0 && keys.length === 0) return [];
  const rows: { payload: IncidentEvent }[] = await manager.query(
    `SELECT payload FROM events
     WHERE incident_id IS NULL AND (service = ANY($1::text[]) OR incident_key = ANY($2::text[]))`,
    [services, keys],
  );
  return rows.map((row) => row.payload);
}

export async function assignEvents(manager: EntityManager, attachments: Map<string, IncidentEvent[]>): Promise<void> {
  const eventIds: string[] = [];
  const incidentIds: string[] = [];
  for (const [incidentId, events] of attachments) {
    for (const event of events) {
      eventIds.push(event.id);
      incidentIds.push(incidentId);
    }
  }
  await manager.query(
    `UPDATE events SET incident_id = placed.incident_id
     FROM unnest($1::text[], $2::text[]) AS placed (event_id, incident_id)
     WHERE events.event_id = placed.event_id AND events.incident_id IS NULL`,
    [eventIds, incidentIds],
  );
}

export async function loadIncidentEvents(manager: EntityManager, incidentId: string): Promise<IncidentEvent[]> {
  const rows: { payload: IncidentEvent }[] = await manager.query('SELECT payload FROM events WHERE incident_id = $1', [incidentId]);
  return rows.map((row) => row.payload);
}

/** Writes projected states with the columns the API filters on, and links their keys. */
export async function saveIncidents(manager: EntityManager, states: IncidentState[]): Promise<void> {
  if (states.length === 0) return;
  await manager.query(
    `INSERT INTO incidents (id, service, status, is_open, first_event_at, resolved_at, last_event_at, last_event_id, event_count, state, updated_at)
     SELECT *, now() FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::timestamptz[], $6::timestamptz[], $7::timestamptz[], $8::text[], $9::int[], $10::jsonb[])
     ON CONFLICT (id) DO UPDATE SET
       service = excluded.service, status = excluded.status, is_open = excluded.is_open,
       first_event_at = excluded.first_event_at, resolved_at = excluded.resolved_at,
       last_event_at = excluded.last_event_at, last_event_id = excluded.last_event_id,
       event_count = excluded.event_count, state = excluded.state, updated_at = now()`,
    [
      states.map((s) => s.id),
      states.map((s) => s.primaryService),
      states.map((s) => s.status),
      states.map((s) => s.open),
      states.map((s) => s.firstEventAt),
      states.map((s) => (s.open ? null : (s.times.resolvedAt?.at ?? null))),
      states.map((s) => s.lastEventAt),
      states.map((s) => s.lastEventId),
      states.map((s) => s.eventCount),
      states.map((s) => JSON.stringify(s)),
    ],
  );
  const keys = states.flatMap((s) => s.keys.map((key) => [key, s.id] as const));
  if (keys.length > 0) {
    await manager.query(
      'INSERT INTO incident_keys (key, incident_id) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (key) DO NOTHING',
      [keys.map(([key]) => key), keys.map(([, id]) => id)],
    );
  }
}

/** The transactional outbox: committed with the events, published to incident-timeline.v1 afterwards. */
export async function enqueueTimeline(manager: EntityManager, attachments: Map<string, IncidentEvent[]>): Promise<void> {
  const incidentIds: string[] = [];
  const eventIds: string[] = [];
  const messages: string[] = [];
  for (const [incidentId, events] of attachments) {
    for (const event of events) {
      incidentIds.push(incidentId);
      eventIds.push(event.id);
      messages.push(JSON.stringify({ ...event, incidentId }));
    }
  }
  if (messages.length === 0) return;
  await manager.query(
    'INSERT INTO timeline_outbox (incident_id, event_id, message) SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[])',
    [incidentIds, eventIds, messages],
  );
}
