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
 * projection the timeline would store), read a few thousand at a time so only those are in memory. The
 * next chunk is asked for before this one is projected, so PostgreSQL and the projection work at once.
 */
export async function projectedFigures(client: pg.ClientBase, incidents: readonly { id: string; eventIds: string[] }[]): Promise<Map<string, IncidentFigures>> {
  const chunks: { id: string; eventIds: string[] }[][] = [[]];
  let size = 0;
  for (const incident of incidents) {
    if (size >= EVENTS_PER_READ) {
      chunks.push([]);
      size = 0;
    }
    chunks.at(-1)!.push(incident);
    size += incident.eventIds.length;
  }
  const read = (chunk: readonly { eventIds: string[] }[]) =>
    client.query<{ payload: IncidentEvent }>('SELECT payload FROM events WHERE event_id = ANY($1::text[])', [chunk.flatMap((incident) => incident.eventIds)]);
  const figures = new Map<string, IncidentFigures>();
  let next = read(chunks[0]!);
  for (let i = 0; i < chunks.length; i += 1) {
    const { rows } = await next;
    if (i + 1 < chunks.length) next = read(chunks[i + 1]!);
    const byId = new Map(rows.map((row) => [row.payload.id, row.payload]));
    for (const incident of chunks[i]!) {
      const row = incidentFiguresOf(project(incident.id, incident.eventIds.map((id) => byId.get(id)!)));
      if (row) figures.set(incident.id, row);
    }
  }
  return figures;
}
