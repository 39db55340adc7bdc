import type pg from 'pg';
import { incidentFiguresOf, project, type IncidentEvent, type IncidentFigures } from '@app/domain';
import { FIGURE_COLUMNS, figuresOfRow, type FigureRow } from '../analytics/figure-rows.js';

/** Event ids per payload query: a primary-key look-up each, a few MB of payloads in memory at a time. */
const EVENTS_PER_READ = 5_000;

/** The stored figures of these incidents: the columns analytics reads, kept with each projection. */
export async function storedFigures(client: pg.ClientBase, ids: readonly string[]): Promise<Map<string, IncidentFigures>> {
  const { rows } = await client.query<FigureRow>(`SELECT ${FIGURE_COLUMNS} FROM incidents WHERE id = ANY($1::text[])`, [ids]);
  return new Map(rows.map((row) => [row.id, figuresOfRow(row)]));
}

/**
 * The figures of incidents as a replay forms them: each projected from its events' stored payloads (the
 * projection the timeline would store), read a few thousand at a time so only those are in memory.
 */
export async function projectedFigures(client: pg.ClientBase, incidents: readonly { id: string; eventIds: string[] }[]): Promise<Map<string, IncidentFigures>> {
  const figures = new Map<string, IncidentFigures>();
  let chunk: { id: string; eventIds: string[] }[] = [];
  let size = 0;
  const flush = async () => {
    const { rows } = await client.query<{ payload: IncidentEvent }>('SELECT payload FROM events WHERE event_id = ANY($1::text[])', [chunk.flatMap((incident) => incident.eventIds)]);
    const byId = new Map(rows.map((row) => [row.payload.id, row.payload]));
    for (const incident of chunk) {
      const row = incidentFiguresOf(project(incident.id, incident.eventIds.map((id) => byId.get(id)!)));
      if (row) figures.set(incident.id, row);
    }
    chunk = [];
    size = 0;
  };
  for (const incident of incidents) {
    chunk.push(incident);
    size += incident.eventIds.length;
    if (size >= EVENTS_PER_READ) await flush();
  }
  if (chunk.length > 0) await flush();
  return figures;
}
