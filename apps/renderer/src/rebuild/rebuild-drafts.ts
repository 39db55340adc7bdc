import type { DataSource, EntityManager } from 'typeorm';
import { DraftWriter } from '../drafts/draft-writer.js';
import { utcToday } from '../rendering/utc-today.js';
import { RendererStore } from '../store/renderer-store.js';

export interface RendererRebuildReport {
  incidents: number;
  drafts: number;
  seconds: number;
}

const INCIDENTS_PER_CHUNK = 200;
const DEADLOCK = '40P01';

/**
 * Re-projects every incident the renderer holds from its copies of the events, and stores a new draft
 * version of each resolved one whose draft now reads differently, keeping the date it was prepared on
 * (so a rebuild with unchanged code adds no version). Run after an upgrade that changes the projection
 * or the template, next to the timeline's rebuild. Each chunk locks its incident rows, which the live
 * consumer's upsert waits for, so neither overwrites the other with an older view.
 */
export async function rebuildDrafts(dataSource: DataSource, store: RendererStore, writer: DraftWriter): Promise<RendererRebuildReport> {
  const started = performance.now();
  let after = '';
  let incidents = 0;
  let drafts = 0;
  for (;;) {
    const chunk = await retryOnDeadlock(() => dataSource.transaction((manager) => rebuildChunk(manager, after, store, writer)));
    if (!chunk) break;
    after = chunk.lastId;
    incidents += chunk.incidents;
    drafts += chunk.drafts;
  }
  return { incidents, drafts, seconds: (performance.now() - started) / 1000 };
}

async function rebuildChunk(manager: EntityManager, after: string, store: RendererStore, writer: DraftWriter) {
  const ids: { id: string }[] = await manager.query('SELECT id FROM renderer_incidents WHERE id > $1 ORDER BY id LIMIT $2 FOR UPDATE', [after, INCIDENTS_PER_CHUNK]);
  if (ids.length === 0) return null;
  // An incident merged into another has handed its events over: only the surviving one is re-projected.
  const holding: { incident_id: string }[] = await manager.query('SELECT DISTINCT incident_id FROM renderer_events WHERE incident_id = ANY($1::text[])', [ids.map((row) => row.id)]);
  const { states } = await store.reproject(manager, holding.map((row) => row.incident_id));
  const prepared: { incident_id: string; prepared_on: string }[] = await manager.query(
    `SELECT DISTINCT ON (incident_id) incident_id, to_char(prepared_on, 'YYYY-MM-DD') AS prepared_on FROM rca_drafts
     WHERE incident_id = ANY($1::text[]) ORDER BY incident_id, version DESC`,
    [ids.map((row) => row.id)],
  );
  const preparedOn = new Map(prepared.map((row) => [row.incident_id, row.prepared_on]));
  const today = utcToday();
  const drafts = await writer.write(manager, states, (state) => preparedOn.get(state.id) ?? today);
  return { lastId: ids.at(-1)!.id, incidents: states.length, drafts };
}

/** The live consumer upserts incident rows in its batch's order, this chunk locks them in id order: PostgreSQL may pick this side to break a deadlock. */
async function retryOnDeadlock<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if ((error as { code?: string }).code !== DEADLOCK || attempt >= 5) throw error;
    }
  }
}
