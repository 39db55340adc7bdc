import type { DataSource } from 'typeorm';
import { project, type IncidentEvent } from '@app/domain';
import { CORRELATION_LOCK } from '../consumer/batch-processor.js';
import { saveIncidents } from '../consumer/incident-writes.js';

export interface RebuildReport {
  incidents: number;
  events: number;
  seconds: number;
}

const INCIDENTS_PER_CHUNK = 500;

/**
 * Re-projects every incident from its stored events. Each chunk is read and written under the
 * correlation lock, so a batch the live consumer commits meanwhile is never overwritten by an older view.
 */
export async function rebuildProjections(dataSource: DataSource): Promise<RebuildReport> {
  const started = performance.now();
  let after = '';
  let incidents = 0;
  let events = 0;
  for (;;) {
    const chunk = await dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [CORRELATION_LOCK]);
      const ids: { id: string }[] = await manager.query('SELECT id FROM incidents WHERE id > $1 ORDER BY id LIMIT $2', [after, INCIDENTS_PER_CHUNK]);
      if (ids.length === 0) return null;
      const rows: { incident_id: string; payload: IncidentEvent }[] = await manager.query(
        'SELECT incident_id, payload FROM events WHERE incident_id = ANY($1::text[])',
        [ids.map((row) => row.id)],
      );
      const byIncident = new Map<string, IncidentEvent[]>(ids.map((row) => [row.id, []]));
      for (const row of rows) byIncident.get(row.incident_id)!.push(row.payload);
      await saveIncidents(manager, [...byIncident].map(([id, list]) => project(id, list)));
      return { lastId: ids.at(-1)!.id, incidents: ids.length, events: rows.length };
    });
    if (!chunk) break;
    after = chunk.lastId;
    incidents += chunk.incidents;
    events += chunk.events;
  }
  return { incidents, events, seconds: (performance.now() - started) / 1000 };
}
