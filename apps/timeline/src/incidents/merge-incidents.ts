import type { EntityManager } from 'typeorm';
import { orderEvents, project } from '@app/domain';
import { loadIncidentsEvents } from '../event-store/read-events.js';
import { saveIncidents } from './incident-store.js';
import { enqueueTimeline } from '../outbox/enqueue-timeline.js';

/**
 * The incident that answers for an id or key: follows a merge to its target. `merged_into` always names a
 * final target (mergeIncidents re-points older aliases), so one hop is enough.
 */
export async function resolveIncident(manager: Pick<EntityManager, 'query'>, idOrKey: string): Promise<string | null> {
  return (await resolveReference(manager, idOrKey))?.id ?? null;
}

/** resolveIncident, saying whether the reference named an incident merged into another (`merged`). */
export async function resolveReference(manager: Pick<EntityManager, 'query'>, idOrKey: string): Promise<{ id: string; merged: boolean } | null> {
  const rows: { id: string; merged: boolean }[] = await manager.query(
    `SELECT COALESCE(i.merged_into, i.id) AS id, i.merged_into IS NOT NULL AS merged FROM incidents i
     WHERE i.id = (SELECT id FROM incidents WHERE id = $1 UNION ALL SELECT incident_id FROM incident_keys WHERE key = $1 LIMIT 1)`,
    [idOrKey],
  );
  return rows[0] ?? null;
}

export interface MergeOutcome {
  /** The incident that answers for both now; null when nothing changed (unknown, or already one incident). */
  into: string | null;
  movedEvents: number;
}

/**
 * The alias mechanism (EVENTS.md, December additions), for a person's `incident.merged` and for automatic
 * merges alike: every event and key of `fromId` moves to `intoId` (after following merges on both sides),
 * `fromId` becomes an alias answered by the target, the target is re-projected from the union of the events,
 * and the renderer is told through the outbox (one row naming the merged incident). Run it inside the
 * transaction that holds the correlation lock. Merging an incident into itself, or into one merged into it,
 * changes nothing.
 */
export async function mergeIncidents(manager: EntityManager, fromId: string, intoId: string, reason: string): Promise<MergeOutcome> {
  const from = await resolveIncident(manager, fromId);
  const into = await resolveIncident(manager, intoId);
  if (from === null || into === null || from === into) return { into: null, movedEvents: 0 };
  // Read, then move: TypeORM answers an UPDATE ... RETURNING with [rows, count], not the rows.
  const moved: { event_id: string }[] = await manager.query('SELECT event_id FROM events WHERE incident_id = $1', [from]);
  await manager.query('UPDATE events SET incident_id = $2 WHERE incident_id = $1', [from, into]);
  await manager.query('UPDATE incident_keys SET incident_id = $2 WHERE incident_id = $1', [from, into]);
  await manager.query(
    `UPDATE incidents SET merged_into = $2, merge_reason = CASE WHEN id = $1 THEN $3 ELSE merge_reason END, updated_at = now()
     WHERE id = $1 OR merged_into = $1`,
    [from, into, reason],
  );
  // Rows not yet published go out under the target; the renderer maps late ones through its own alias.
  await manager.query('UPDATE timeline_outbox SET incident_id = $2 WHERE incident_id = $1', [from, into]);
  const events = (await loadIncidentsEvents(manager, [into])).map((placement) => placement.event);
  const movedIds = new Set(moved.map((row) => row.event_id));
  const [first, ...rest] = orderEvents(events.filter((event) => movedIds.has(event.id)));
  if (first) {
    await manager.query('INSERT INTO timeline_outbox (incident_id, event_id, merged_from) VALUES ($1, $2, $3)', [into, first.id, from]);
    // Each moved event is also placed anew, numbered after the announcement, as a late event's moves are: the
    // renderer keeps every event's newest placement, whatever partition order its messages arrive in.
    await enqueueTimeline(manager, new Map([[into, rest]]));
  }
  // Merged: no snapshot (correlation of the two is not one run), the next batch correlates from the events.
  await saveIncidents(manager, [project(into, events)], new Map());
  return { into, movedEvents: moved.length };
}
