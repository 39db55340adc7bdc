import { Inject, Injectable } from '@nestjs/common';
import { isUtf8 } from 'node:buffer';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../tokens.js';
import type { DeadLetterRow } from './dead-letter-row.js';

/** A dead letter as the API shows it; `body` only when one is asked for by id. */
export interface DeadLetterView {
  id: string;
  kind: string;
  source: string;
  reason: string;
  fields: string[];
  parts: unknown;
  receivedAt: string;
  replayedAt: string | null;
  replayResult: unknown;
  bodyBytes: number;
  body?: string;
  bodyBase64?: string;
}

/** A row as selected: the view's fields, with the timestamps and the raw body still to be shown. */
type SelectedRow = Omit<DeadLetterView, 'receivedAt' | 'replayedAt' | 'body' | 'bodyBase64'> & { receivedAt: Date; replayedAt: Date | null; body?: Buffer };

const COLUMNS = 'id, kind, source, reason, fields, parts, received_at AS "receivedAt", replayed_at AS "replayedAt", replay_result AS "replayResult", octet_length(body) AS "bodyBytes"';

function view({ receivedAt, replayedAt, body, ...fields }: SelectedRow): DeadLetterView {
  const shown: DeadLetterView = { ...fields, receivedAt: receivedAt.toISOString(), replayedAt: replayedAt?.toISOString() ?? null };
  // The original bytes: as text when they are UTF-8 (every JSON body), else base64 so nothing is altered.
  if (body) Object.assign(shown, isUtf8(body) ? { body: body.toString('utf8') } : { bodyBase64: body.toString('base64') });
  return shown;
}

@Injectable()
export class DeadLetterStore {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Idempotent: a re-sent body or a re-delivered message is the row already stored. */
  async store(rows: readonly DeadLetterRow[]): Promise<void> {
    if (rows.length === 0) return;
    const values: unknown[] = [];
    const tuples = rows.map((row, index) => {
      values.push(row.id, row.kind, row.source, row.reason, row.fields, JSON.stringify(row.parts), row.body, JSON.stringify(row.headers), row.receivedAt);
      const base = index * 9;
      return `(${Array.from({ length: 9 }, (_, column) => `$${base + column + 1}`).join(', ')})`;
    });
    await this.dataSource.query(
      `INSERT INTO dead_letters (id, kind, source, reason, fields, parts, body, headers, received_at)
       VALUES ${tuples.join(', ')} ON CONFLICT (id) DO NOTHING`,
      values,
    );
  }

  /** Newest first; `pending` leaves out the ones replayed since. */
  list(limit: number, pending: boolean): Promise<DeadLetterView[]> {
    return this.select(`${pending ? 'WHERE replayed_at IS NULL' : ''} ORDER BY received_at DESC, id DESC LIMIT $1`, [limit]);
  }

  async get(id: string): Promise<DeadLetterView | null> {
    const [letter] = await this.select('WHERE id = $1', [id], true);
    return letter ?? null;
  }

  /** Records the outcome of a replay (what ingest answered); false when there is no such dead letter. */
  async recordReplay(id: string, result: unknown): Promise<boolean> {
    const rows: { updated: number }[] = await this.dataSource.query(
      `WITH updated AS (UPDATE dead_letters SET replayed_at = now(), replay_result = $2 WHERE id = $1 RETURNING id) SELECT count(*)::int AS updated FROM updated`,
      [id, JSON.stringify(result)],
    );
    return rows[0]?.updated === 1;
  }

  private async select(condition: string, params: unknown[], withBody = false): Promise<DeadLetterView[]> {
    const rows: SelectedRow[] = await this.dataSource.query(`SELECT ${COLUMNS}${withBody ? ', body' : ''} FROM dead_letters ${condition}`, params);
    return rows.map(view);
  }
}
