import { Inject, Injectable } from '@nestjs/common';
import { isUtf8 } from 'node:buffer';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../tokens.js';
import type { DeadLetterRow, DeadLetterTopic } from './dead-letter-row.js';
import { storableJson } from './storable-text.js';

/** A dead letter as the API shows it; `body` and `headers` only when one is asked for by id. */
export interface DeadLetterView {
  id: string;
  topic: DeadLetterTopic;
  kind: string;
  source: string;
  reason: string;
  fields: string[];
  parts: unknown;
  receivedAt: string;
  replayedAt: string | null;
  replayResult: unknown;
  bodyBytes: number;
  headers?: Record<string, string>;
  body?: string;
  bodyBase64?: string;
}

/** A letter as a replay publishes it again: its key and bytes as they arrived, its headers as stored. */
export interface StoredMessage {
  id: string;
  topic: DeadLetterTopic;
  key: Buffer | null;
  body: Buffer;
  headers: Record<string, string>;
}

/** How many letters are stored, per topic, kind and whether they were replayed since. */
export interface StoredCount {
  topic: DeadLetterTopic;
  kind: string;
  replayed: boolean;
  letters: number;
}

/** A row as selected: the view's fields, with the timestamps and the raw body still to be shown. */
type SelectedRow = Omit<DeadLetterView, 'receivedAt' | 'replayedAt' | 'body' | 'bodyBase64'> & { receivedAt: Date; replayedAt: Date | null; body?: Buffer };

const COLUMNS =
  'id, topic, kind, source, reason, fields, parts, received_at AS "receivedAt", replayed_at AS "replayedAt", replay_result AS "replayResult", octet_length(body) AS "bodyBytes"';
const INSERTED = ['id', 'topic', 'kind', 'source', 'reason', 'fields', 'parts', 'message_key', 'body', 'headers', 'received_at'];

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
      values.push(row.id, row.topic, row.kind, row.source, row.reason, row.fields, JSON.stringify(row.parts), row.key, row.body, JSON.stringify(row.headers), row.receivedAt);
      const base = index * INSERTED.length;
      return `(${INSERTED.map((_, column) => `$${base + column + 1}`).join(', ')})`;
    });
    await this.dataSource.query(`INSERT INTO dead_letters (${INSERTED.join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT (id) DO NOTHING`, values);
  }

  /** Whether PostgreSQL answers at all: when it does, a failed insert was about the letter, not the connection. */
  async answers(): Promise<boolean> {
    try {
      await this.dataSource.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  /** Newest first; `pending` leaves out the ones replayed since. */
  list(limit: number, pending: boolean): Promise<DeadLetterView[]> {
    return this.select(`${pending ? 'WHERE replayed_at IS NULL' : ''} ORDER BY received_at DESC, id DESC LIMIT $1`, [limit]);
  }

  async get(id: string): Promise<DeadLetterView | null> {
    const [letter] = await this.select('WHERE id = $1', [id], true);
    return letter ?? null;
  }

  async message(id: string): Promise<StoredMessage | null> {
    const [row] = await this.dataSource.query<StoredMessage[]>('SELECT id, topic, message_key AS key, body, headers FROM dead_letters WHERE id = $1', [id]);
    return row ?? null;
  }

  /** Records the outcome of a replay (what ingest or the republish answered); false when there is no such dead letter. */
  async recordReplay(id: string, result: unknown): Promise<boolean> {
    const rows: { updated: number }[] = await this.dataSource.query(
      `WITH updated AS (UPDATE dead_letters SET replayed_at = now(), replay_result = $2 WHERE id = $1 RETURNING id) SELECT count(*)::int AS updated FROM updated`,
      [id, JSON.stringify(storableJson(result))],
    );
    return rows[0]?.updated === 1;
  }

  counts(): Promise<StoredCount[]> {
    return this.dataSource.query(
      `SELECT topic, kind, replayed_at IS NOT NULL AS replayed, count(*)::int AS letters FROM dead_letters GROUP BY topic, kind, replayed_at IS NOT NULL`,
    );
  }

  private async select(condition: string, params: unknown[], withDetail = false): Promise<DeadLetterView[]> {
    const rows: SelectedRow[] = await this.dataSource.query(`SELECT ${COLUMNS}${withDetail ? ', headers, body' : ''} FROM dead_letters ${condition}`, params);
    return rows.map(view);
  }
}
