import type { EntityManager } from 'typeorm';
import { storableInstant, type CorrelationSnapshot, type IncidentState } from '@app/domain';
import type { ServiceRange } from '../event-store/read-events.js';

/**
 * Incidents whose correlation window, from `marginMinutes` before their first event to their resolution or,
 * unresolved, `idleMinutes` after their latest event, overlaps a range of their service (rule 2). An incident
 * merged into another still has its window (the rules run in event-time order, merges last: an event of its
 * time joins it, then follows the merge): it brings in the incident that answers for it.
 */
export async function loadIncidentsInRanges(manager: EntityManager, ranges: ServiceRange[], marginMinutes: number, idleMinutes: number): Promise<string[]> {
  if (ranges.length === 0) return [];
  const rows = ranges.map((range) => ({
    service: range.service,
    from: range.from,
    first_before: storableInstant(Date.parse(range.to) + marginMinutes * 60_000),
    active_after: storableInstant(Date.parse(range.from) - idleMinutes * 60_000),
  }));
  // One indexed look-up per service and kind of window; an OR across them would scan the table.
  const found: { id: string }[] = await manager.query(
    `SELECT DISTINCT i.id FROM jsonb_to_recordset($1::jsonb) AS r (service text, "from" timestamptz, first_before timestamptz, active_after timestamptz)
       CROSS JOIN LATERAL (
         SELECT COALESCE(merged_into, id) AS id FROM incidents WHERE service = r.service AND resolved_at >= r."from" AND first_event_at <= r.first_before
         UNION ALL
         SELECT COALESCE(merged_into, id) AS id FROM incidents
         WHERE service = r.service AND resolved_at IS NULL AND last_event_at >= r.active_after AND first_event_at <= r.first_before) i`,
    [JSON.stringify(rows)],
  );
  return found.map((row) => row.id);
}

/** Incidents named by these keys: their ids, or keys linked to them (aliases of retired incidents included). */
export async function loadIncidentsByKeys(manager: EntityManager, keys: string[]): Promise<string[]> {
  if (keys.length === 0) return [];
  const found: { id: string }[] = await manager.query(
    // A merged incident (incident.merged) answers through the one it was merged into.
    `SELECT DISTINCT COALESCE(m.merged_into, m.id) AS id FROM incidents m WHERE m.id IN (
       SELECT id FROM incidents WHERE id = ANY($1::text[]) UNION SELECT incident_id FROM incident_keys WHERE key = ANY($1::text[]))`,
    [keys],
  );
  return found.map((row) => row.id);
}

/**
 * Incidents a late event joined into another become aliases of the incident that now holds their opening
 * event, through the mechanism of incident.merged (merged_into): reading them by id or key answers with it.
 * One that now holds nothing is removed.
 */
export async function retireIncidents(manager: EntityManager, retired: readonly { id: string; successor: string | null }[]): Promise<void> {
  if (retired.length === 0) return;
  const ids = retired.map((entry) => entry.id);
  const successors = retired.map((entry) => entry.successor);
  await manager.query(
    `UPDATE incident_keys k SET incident_id = r.successor FROM unnest($1::text[], $2::text[]) AS r (id, successor)
     WHERE k.incident_id = r.id AND r.successor IS NOT NULL`,
    [ids, successors],
  );
  await manager.query(
    `UPDATE incidents i SET merged_into = r.successor, merge_reason = CASE WHEN i.id = r.id THEN 'correlation: a late event joined it' ELSE i.merge_reason END,
       updated_at = now()
     FROM unnest($1::text[], $2::text[]) AS r (id, successor)
     WHERE (i.id = r.id OR i.merged_into = r.id) AND r.successor IS NOT NULL`,
    [ids, successors],
  );
  // The renderer learns of it as of a person's merge: one outbox row naming the incident merged away.
  await manager.query(
    `INSERT INTO timeline_outbox (incident_id, event_id, merged_from)
     SELECT r.successor, (SELECT event_id FROM events WHERE incident_id = r.successor ORDER BY occurred_at, event_id LIMIT 1), r.id
     FROM unnest($1::text[], $2::text[]) AS r (id, successor) WHERE r.successor IS NOT NULL`,
    [ids, successors],
  );
  const orphans = retired.filter((entry) => entry.successor === null).map((entry) => entry.id);
  if (orphans.length > 0) {
    await manager.query('DELETE FROM incident_keys WHERE incident_id = ANY($1::text[])', [orphans]);
    await manager.query('DELETE FROM incidents WHERE id = ANY($1::text[])', [orphans]);
  }
}

/**
 * Writes projected states with the columns the API filters on, and links their keys.
 * The rows travel as one JSON document (jsonb_to_recordset) rather than ten arrays: a jsonb[] parameter is
 * sent as an array literal with every state quoted and escaped, then parsed twice by PostgreSQL, which
 * slowed this upsert down (figures: docs/benchmarks.md, "What changed in the first session").
 */
/**
 * What becomes of each incident's correlation snapshot: the ones correlation just produced (an incident
 * missing from the map gets none: a merge made it), or `unchanged` for a re-projection, which moves no event.
 */
export type SnapshotsToSave = ReadonlyMap<string, CorrelationSnapshot | null> | 'unchanged';

export async function saveIncidents(manager: EntityManager, states: IncidentState[], snapshots: SnapshotsToSave): Promise<void> {
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
    // Saved without its correlation's snapshot (a merge): the next batch correlates from its events.
    correlation: snapshots === 'unchanged' ? null : (snapshots.get(s.id) ?? null),
  }));
  await manager.query(
    `INSERT INTO incidents (id, service, status, is_open, first_event_at, resolved_at, last_event_at, last_event_id, event_count,
       team, severity, time_to_detect, time_to_acknowledge, time_to_mitigate, time_to_resolve, state, correlation, updated_at)
     SELECT r.id, r.service, r.status, r.is_open, r.first_event_at, r.resolved_at, r.last_event_at, r.last_event_id, r.event_count,
       r.team, r.severity, r.time_to_detect, r.time_to_acknowledge, r.time_to_mitigate, r.time_to_resolve, r.state, r.correlation, now()
     FROM jsonb_to_recordset($1::jsonb) AS r (id text, service text, status text, is_open boolean, first_event_at timestamptz,
       resolved_at timestamptz, last_event_at timestamptz, last_event_id text, event_count int, team text, severity text,
       time_to_detect int, time_to_acknowledge int, time_to_mitigate int, time_to_resolve int, state jsonb, correlation jsonb)
     ON CONFLICT (id) DO UPDATE SET
       service = excluded.service, status = excluded.status, is_open = excluded.is_open,
       first_event_at = excluded.first_event_at, resolved_at = excluded.resolved_at,
       last_event_at = excluded.last_event_at, last_event_id = excluded.last_event_id,
       event_count = excluded.event_count, team = excluded.team, severity = excluded.severity,
       time_to_detect = excluded.time_to_detect, time_to_acknowledge = excluded.time_to_acknowledge,
       time_to_mitigate = excluded.time_to_mitigate, time_to_resolve = excluded.time_to_resolve,
       state = excluded.state, correlation = CASE WHEN $2 THEN incidents.correlation ELSE excluded.correlation END,
       merged_into = NULL, merge_reason = NULL, updated_at = now()`,
    [JSON.stringify(rows), snapshots === 'unchanged'],
  );
  await linkKeys(manager, states.map((state) => ({ id: state.id, startedAt: state.firstEventAt ?? '', keys: state.keys })));
}

/**
 * Links keys to incidents: a key several of them carry (rule 1 over several keys) links to the one that
 * started first, as correlation decides; never to a merged incident. A key follows the events that carry
 * it: when a late event splits an incident, it moves with them. Also what lets a later batch find an
 * incident by a key its projection does not list (a CORRELATION_GROUP_LABELS key).
 */
export async function linkKeys(manager: EntityManager, incidents: readonly { id: string; startedAt: string; keys: readonly string[] }[]): Promise<void> {
  const started = (incident: (typeof incidents)[number]) => `${incident.startedAt}\u0000${incident.id}`;
  const owner = new Map<string, (typeof incidents)[number]>();
  for (const incident of incidents) {
    for (const key of incident.keys) {
      const current = owner.get(key);
      if (!current || started(incident) < started(current)) owner.set(key, incident);
    }
  }
  if (owner.size === 0) return;
  await manager.query(
    `INSERT INTO incident_keys (key, incident_id) SELECT * FROM unnest($1::text[], $2::text[])
     ON CONFLICT (key) DO UPDATE SET incident_id = excluded.incident_id WHERE incident_keys.incident_id <> excluded.incident_id`,
    [[...owner.keys()], [...owner.values()].map((incident) => incident.id)],
  );
}
