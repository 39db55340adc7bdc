import type { DataSource } from 'typeorm';
import { project, type CorrelationSettings, type IncidentEvent } from '@app/domain';
import { ADVISORY_LOCKS } from '@app/platform';
import { loadIncidentsEvents } from '../event-store/read-events.js';
import { saveIncidents } from '../incidents/incident-store.js';
import { recorrelate, type RecorrelationReport } from './recorrelate.js';

export interface RebuildReport {
  incidents: number;
  events: number;
  seconds: number;
}

/**
 * `npm run rebuild:timeline`: the stored log correlated again under `settings`, then every projection re-made.
 * POST /v1/admin/rebuild passes no settings and only re-projects: re-correlating holds the whole log in
 * memory, more than the service's heap is sized for (docs/operations.md, "Memory").
 */
export async function rebuildTimeline(dataSource: DataSource, settings: CorrelationSettings | null): Promise<RebuildReport & { correlation?: RecorrelationReport }> {
  const correlation = settings === null ? undefined : await recorrelate(dataSource, settings);
  return { ...(await rebuildProjections(dataSource)), ...(correlation ? { correlation } : {}) };
}

const INCIDENTS_PER_CHUNK = 500;

/**
 * Re-projects every incident from its stored events (a merged incident's events are its target's). Each chunk is read and written under the
 * correlation lock, so a batch the live consumer commits meanwhile is never overwritten by an older view.
 */
export async function rebuildProjections(dataSource: DataSource): Promise<RebuildReport> {
  const started = performance.now();
  let after = '';
  let incidents = 0;
  let events = 0;
  for (;;) {
    const chunk = await dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCKS.correlation]);
      const ids: { id: string }[] = await manager.query('SELECT id FROM incidents WHERE id > $1 AND merged_into IS NULL ORDER BY id LIMIT $2', [after, INCIDENTS_PER_CHUNK]);
      if (ids.length === 0) return null;
      const byIncident = new Map<string, IncidentEvent[]>(ids.map((row) => [row.id, []]));
      for (const { event, incidentId } of await loadIncidentsEvents(manager, ids.map((row) => row.id))) byIncident.get(incidentId!)!.push(event);
      const states = [...byIncident].map(([id, list]) => project(id, list));
      // Re-projecting moves no event: each incident's correlation snapshot still holds.
      await saveIncidents(manager, states, 'unchanged');
      return { lastId: ids.at(-1)!.id, incidents: ids.length, events: states.reduce((sum, state) => sum + state.eventCount, 0) };
    });
    if (!chunk) break;
    after = chunk.lastId;
    incidents += chunk.incidents;
    events += chunk.events;
  }
  return { incidents, events, seconds: (performance.now() - started) / 1000 };
}

/**
 * rebuildTimeline, one at a time across every timeline instance and `npm run rebuild`: null when another is
 * running. The lock is held by a connection of its own for the whole rebuild (each step commits separately)
 * and goes with that connection should the process die.
 */
export async function rebuildTimelineAlone(dataSource: DataSource, settings: CorrelationSettings | null): Promise<(RebuildReport & { correlation?: RecorrelationReport }) | null> {
  const holder = dataSource.createQueryRunner();
  await holder.connect();
  try {
    const [{ locked }] = (await holder.query('SELECT pg_try_advisory_lock($1) AS locked', [ADVISORY_LOCKS.timelineRebuild])) as { locked: boolean }[];
    if (!locked) return null;
    try {
      return await rebuildTimeline(dataSource, settings);
    } finally {
      await holder.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCKS.timelineRebuild]);
    }
  } finally {
    await holder.release();
  }
}
