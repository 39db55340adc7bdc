import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { orderEvents, type IncidentEvent, type IncidentState } from '@app/domain';
import { DATA_SOURCE } from '../tokens.js';

export interface IncidentPage {
  items: IncidentState[];
  nextCursor: string | null;
}

export interface IncidentFilter {
  status?: 'open' | 'resolved';
  service?: string;
  limit: number;
  cursor?: { firstEventAt: string; id: string };
}

export const encodeCursor = (firstEventAt: Date, id: string) => Buffer.from(JSON.stringify([firstEventAt.toISOString(), id])).toString('base64url');

export function decodeCursor(cursor: string): { firstEventAt: string; id: string } | null {
  try {
    const [firstEventAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    // Only what encodeCursor writes: a toISOString() instant and an incident id.
    if (typeof firstEventAt !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(firstEventAt)) return null;
    if (Number.isNaN(Date.parse(firstEventAt)) || typeof id !== 'string' || id.length > 256 || id.includes('\u0000')) return null;
    return { firstEventAt, id };
  } catch {
    return null;
  }
}

/** Read side of the timeline: every query is parameterised and served by an index of the migration. */
@Injectable()
export class IncidentQueries {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Resolves an incident id or any key linked to it. */
  async resolveId(idOrKey: string): Promise<string | null> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM incidents WHERE id = $1
       UNION ALL SELECT incident_id FROM incident_keys WHERE key = $1
       LIMIT 1`,
      [idOrKey],
    );
    return rows[0]?.id ?? null;
  }

  async state(id: string): Promise<IncidentState | null> {
    const rows: { state: IncidentState }[] = await this.dataSource.query('SELECT state FROM incidents WHERE id = $1', [id]);
    return rows[0]?.state ?? null;
  }

  async events(id: string): Promise<IncidentEvent[]> {
    const rows: { payload: IncidentEvent }[] = await this.dataSource.query(
      'SELECT payload FROM events WHERE incident_id = $1 ORDER BY occurred_at, event_id',
      [id],
    );
    // The database orders by microseconds; the domain's order (milliseconds, then id) is the contract.
    return orderEvents(rows.map((row) => row.payload));
  }

  async list(filter: IncidentFilter): Promise<IncidentPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (filter.status) where.push(`is_open = ${param(filter.status === 'open')}`);
    if (filter.service) where.push(`service = ${param(filter.service)}`);
    if (filter.cursor) where.push(`(first_event_at, id) < (${param(filter.cursor.firstEventAt)}::timestamptz, ${param(filter.cursor.id)})`);
    const rows: { id: string; first_event_at: Date; state: IncidentState }[] = await this.dataSource.query(
      `SELECT id, first_event_at, state FROM incidents
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY first_event_at DESC, id DESC
       LIMIT ${param(filter.limit + 1)}`,
      params,
    );
    const page = rows.slice(0, filter.limit);
    const last = page.at(-1);
    return {
      items: page.map((row) => row.state),
      nextCursor: rows.length > filter.limit && last ? encodeCursor(last.first_event_at, last.id) : null,
    };
  }

  async unattached(limit: number): Promise<{ items: IncidentEvent[]; total: number }> {
    const [rows, count] = await Promise.all([
      this.dataSource.query('SELECT payload FROM events WHERE incident_id IS NULL ORDER BY occurred_at, event_id LIMIT $1', [limit]),
      this.dataSource.query('SELECT count(*)::int AS total FROM events WHERE incident_id IS NULL'),
    ]);
    return { items: (rows as { payload: IncidentEvent }[]).map((row) => row.payload), total: (count as { total: number }[])[0]!.total };
  }
}
