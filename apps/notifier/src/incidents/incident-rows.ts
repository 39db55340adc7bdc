import type { EntityManager } from 'typeorm';
import type { IncidentState, IncidentSummary } from '@app/domain';

/** What the notifier keeps of an incident: its projection, what it last announced, whether it was merged away. */
export interface IncidentRow {
  id: string;
  state: IncidentState;
  announced: IncidentSummary | null;
  mergedInto: string | null;
  mergeSequence: number | null;
}

export async function readIncidents(manager: EntityManager, ids: readonly string[]): Promise<Map<string, IncidentRow>> {
  if (ids.length === 0) return new Map();
  const rows: { id: string; state: IncidentState; announced: IncidentSummary | null; merged_into: string | null; merge_sequence: string | null }[] = await manager.query(
    'SELECT id, state, announced, merged_into, merge_sequence FROM notifier_incidents WHERE id = ANY($1::text[])',
    [ids],
  );
  return new Map(
    rows.map((row) => [row.id, { id: row.id, state: row.state, announced: row.announced, mergedInto: row.merged_into, mergeSequence: row.merge_sequence === null ? null : Number(row.merge_sequence) }]),
  );
}

export async function writeIncidents(manager: EntityManager, rows: readonly IncidentRow[]): Promise<void> {
  if (rows.length === 0) return;
  await manager.query(
    `INSERT INTO notifier_incidents (id, state, announced, merged_into, merge_sequence, updated_at)
     SELECT r.id, r.state, r.announced, r.merged_into, r.merge_sequence, now()
     FROM jsonb_to_recordset($1::jsonb) AS r(id text, state jsonb, announced jsonb, merged_into text, merge_sequence bigint)
     ON CONFLICT (id) DO UPDATE SET state = excluded.state, announced = excluded.announced, merged_into = excluded.merged_into,
       merge_sequence = excluded.merge_sequence, updated_at = now()`,
    [JSON.stringify(rows.map((row) => ({ id: row.id, state: row.state, announced: row.announced, merged_into: row.mergedInto, merge_sequence: row.mergeSequence })))],
  );
}
