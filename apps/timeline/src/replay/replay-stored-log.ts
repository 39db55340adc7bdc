import type pg from 'pg';
import { comparePartitions, replayReport, type CorrelationSettings, type ReplayReport } from '@app/domain';
import { projectedFigures, storedFigures } from './incident-figures.js';
import { readStoredViews, type ReplayRange } from './stored-log.js';

export interface ReplayOptions {
  settings: CorrelationSettings;
  /** Days as given (`YYYY-MM-DD`, midnight UTC), null: unbounded. */
  from: string | null;
  to: string | null;
}

const midnight = (day: string | null) => (day === null ? null : `${day}T00:00:00Z`);

/** The stored views are let go when this returns, before any payload is read for the figures. */
async function compareStored(client: pg.ClientBase, options: ReplayOptions) {
  const range: ReplayRange = { from: midnight(options.from), to: midnight(options.to) };
  const stored = await readStoredViews(client, options.settings, range);
  const storedIds = [...new Set(stored.flatMap((placement) => (placement.incidentId === null ? [] : [placement.incidentId])))];
  return { comparison: comparePartitions(stored, options.settings), storedIds };
}

/**
 * Correlates the stored log again under other settings, in memory, and reports how the incidents would
 * differ from the stored ones (INTERFACES.md, `correlation:replay`). One read-only transaction, so it
 * changes nothing and sees one snapshot while the pipeline keeps writing.
 */
export async function replayStoredLog(client: pg.ClientBase, options: ReplayOptions): Promise<ReplayReport> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    const { comparison, storedIds } = await compareStored(client, options);
    const report = replayReport({
      comparison,
      settings: options.settings,
      from: options.from,
      to: options.to,
      storedFigures: await storedFigures(client, storedIds),
      replayedFigures: await projectedFigures(client, comparison.changed),
    });
    await client.query('COMMIT');
    return report;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
