import type { EntityManager } from 'typeorm';
import { eventKeys, type IncidentEvent, type IncidentState } from '@app/domain';
import { storableInstant } from '../event-store/instants.js';

/**
 * Incidents that could take any of `events`: by any of their keys, or by a window of their service (rules 1
 * and 2), plus `incidentIds`. A merged incident is never a candidate: the incident it was merged into is.
 */
export async function loadCandidateIncidents(
  manager: EntityManager,
  events: readonly IncidentEvent[],
  marginMinutes: number,
  incidentIds: readonly string[] = [],
): Promise<IncidentState[]> {
  const keys = [...new Set([...events.flatMap(eventKeys), ...incidentIds])];
  const services = [...new Set(events.map((event) => event.service))];
  const times = events.map((event) => Date.parse(event.occurredAt));
  const earliest = storableInstant(Math.min(...times));
  const latestWithMargin = storableInstant(Math.max(...times) + marginMinutes * 60_000);
  // One indexed look-up per way an incident can match; an OR across them would scan the table.
  const rows: { state: IncidentState }[] = await manager.query(
    `SELECT state FROM incidents WHERE merged_into IS NULL AND id IN (
       SELECT COALESCE(m.merged_into, m.id) FROM incidents m WHERE m.id IN (
         SELECT id FROM incidents WHERE id = ANY($1::text[])
         UNION SELECT incident_id FROM incident_keys WHERE key = ANY($1::text[])
         UNION SELECT id FROM incidents WHERE service = ANY($2::text[]) AND resolved_at IS NULL AND first_event_at <= $4
         UNION SELECT id FROM incidents WHERE service = ANY($2::text[]) AND resolved_at >= $3 AND first_event_at <= $4))`,
    [keys, services, earliest, latestWithMargin],
  );
  return rows.map((row) => row.state);
}

/**
 * Writes projected states with the columns the API filters on, and links their keys.
 * The rows travel as one JSON document (jsonb_to_recordset) rather than ten arrays: a jsonb[] parameter is
 * sent as an array literal with every state quoted and escaped, then parsed twice by PostgreSQL, which
 * slowed this upsert down (figures: docs/benchmarks.md, "What changed in the first session").
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
    team: s.team?.value ?? null,
    severity: s.severity?.value ?? null,
    time_to_detect: s.durations.timeToDetectMinutes,
    time_to_acknowledge: s.durations.timeToAcknowledgeMinutes,
    time_to_mitigate: s.durations.timeToMitigateMinutes,
    time_to_resolve: s.durations.timeToResolveMinutes,
    state: s,
  }));
  await manager.query(
    `INSERT INTO incidents (id, service, status, is_open, first_event_at, resolved_at, last_event_at, last_event_id, event_count,
       team, severity, time_to_detect, time_to_acknowledge, time_to_mitigate, time_to_resolve, state, updated_at)
     SELECT r.id, r.service, r.status, r.is_open, r.first_event_at, r.resolved_at, r.last_event_at, r.last_event_id, r.event_count,
       r.team, r.severity, r.time_to_detect, r.time_to_acknowledge, r.time_to_mitigate, r.time_to_resolve, r.state, now()
     FROM jsonb_to_recordset($1::jsonb) AS r (id text, service text, status text, is_open boolean, first_event_at timestamptz,
       resolved_at timestamptz, last_event_at timestamptz, last_event_id text, event_count int, team text, severity text,
       time_to_detect int, time_to_acknowledge int, time_to_mitigate int, time_to_resolve int, state jsonb)
     ON CONFLICT (id) DO UPDATE SET
       service = excluded.service, status = excluded.status, is_open = excluded.is_open,
       first_event_at = excluded.first_event_at, resolved_at = excluded.resolved_at,
       last_event_at = excluded.last_event_at, last_event_id = excluded.last_event_id,
       event_count = excluded.event_count, team = excluded.team, severity = excluded.severity,
       time_to_detect = excluded.time_to_detect, time_to_acknowledge = excluded.time_to_acknowledge,
       time_to_mitigate = excluded.time_to_mitigate, time_to_resolve = excluded.time_to_resolve,
       state = excluded.state, updated_at = now()`,
    [JSON.stringify(rows)],
  );
  const keys = [...keyLinks(states)];
  if (keys.length > 0) {
    // A key several incidents carry (rule 1 over several keys) links to the one that started first, as in
    // the correlation index (buildCorrelationIndex); never to a merged incident.
    await manager.query(
      `INSERT INTO incident_keys (key, incident_id) SELECT * FROM unnest($1::text[], $2::text[])
       ON CONFLICT (key) DO UPDATE SET incident_id = excluded.incident_id
       WHERE EXISTS (SELECT 1 FROM incidents n, incidents o WHERE n.id = excluded.incident_id AND o.id = incident_keys.incident_id
                     AND n.merged_into IS NULL AND (o.merged_into IS NOT NULL OR (n.first_event_at, n.id) < (o.first_event_at, o.id)))`,
      [keys.map(([key]) => key), keys.map(([, id]) => id)],
    );
  }
}

/** Each key once, with the saved incident that started first among those carrying it. */
function keyLinks(states: readonly IncidentState[]): Map<string, string> {
  const started = (s: IncidentState) => `${s.firstEventAt ?? ''}\u0000${s.id}`;
  const owner = new Map<string, IncidentState>();
  for (const state of states) {
    for (const key of state.keys) {
      const current = owner.get(key);
      if (!current || started(state) < started(current)) owner.set(key, state);
    }
  }
  return new Map([...owner].map(([key, state]) => [key, state.id]));
}
