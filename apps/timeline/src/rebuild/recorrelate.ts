import type { DataSource, EntityManager } from 'typeorm';
import { planCorrelation, type CorrelationSettings, type IncidentEvent, type StoredPlacement } from '@app/domain';
import { ADVISORY_LOCKS } from '@app/platform';
import { applyPlan } from '../consumer/apply-plan.js';
import { linkKeys } from '../incidents/incident-store.js';

export interface RecorrelationReport {
  events: number;
  /** Incidents after it, and how many of them it opened (new ids: the parts of incidents that split). */
  incidents: number;
  opened: number;
  /** Incidents it joined into others: their ids and keys now answer with the incident that holds their opening event. */
  retired: number;
  /** Stored events it moved to another incident, or to none (`detached` of them). */
  moved: number;
  detached: number;
  seconds: number;
}

const EVENTS_PER_READ = 20_000;

/**
 * Correlates the whole stored log again under `settings` and stores the result exactly as the live consumer
 * stores a batch's (applyPlan): events move, incidents joined into others become aliases, incidents split
 * get the parts their ids now name, and the outbox tells the renderer. One transaction under the live
 * correlation's advisory lock: batches arriving meanwhile wait (their events stay in Kafka, offsets
 * uncommitted) and are then correlated against the new partition, so nothing is lost, stored twice, or
 * placed by a view the rebuild overwrites. The whole log is read into memory (its payloads).
 */
export async function recorrelate(dataSource: DataSource, settings: CorrelationSettings): Promise<RecorrelationReport> {
  const started = performance.now();
  return dataSource.transaction(async (manager) => {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCKS.correlation]);
    const stored = await loadEveryPlacement(manager);
    const plan = planCorrelation(stored, [], settings);
    await applyPlan(manager, plan);
    // Keys a setting derives (CORRELATION_GROUP_LABELS) of incidents it did not change are linked too, so the
    // live consumer finds them under the new setting.
    await linkKeys(manager, plan.log.incidents.map((incident) => ({ id: incident.id, startedAt: new Date(incident.firstAtMs).toISOString(), keys: incident.keys })));
    return {
      events: stored.length,
      incidents: plan.log.incidents.length,
      opened: plan.opened.length,
      retired: plan.retired.length,
      moved: plan.moves.length,
      detached: plan.detached.length,
      seconds: (performance.now() - started) / 1000,
    };
  });
}

/** Every stored event with its incident, read in pages so no single answer holds the whole log twice. */
async function loadEveryPlacement(manager: EntityManager): Promise<StoredPlacement[]> {
  const placements: StoredPlacement[] = [];
  let after = '';
  for (;;) {
    const rows: { event_id: string; incident_id: string | null; payload: IncidentEvent }[] = await manager.query(
      'SELECT event_id, incident_id, payload FROM events WHERE event_id > $1 ORDER BY event_id LIMIT $2',
      [after, EVENTS_PER_READ],
    );
    for (const row of rows) placements.push({ event: row.payload, incidentId: row.incident_id });
    if (rows.length < EVENTS_PER_READ) return placements;
    after = rows.at(-1)!.event_id;
  }
}
