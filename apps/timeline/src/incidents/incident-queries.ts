import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { orderEvents, type IncidentEvent, type IncidentState } from '@app/domain';
import { DATA_SOURCE } from '../tokens.js';
import { resolveReference } from './merge-incidents.js';

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

/** A count of unattached events reads their index entries: past this many, the answer says "more". */
export const UNATTACHED_COUNT_CAP = 10_000;

/** Where an events page ends: the last event's instant (canonical UTC, milliseconds) and id. */
export interface EventPosition {
  at: string;
  id: string;
}

export const encodeEventCursor = (event: Pick<IncidentEvent, 'occurredAt' | 'id'>) =>
  Buffer.from(JSON.stringify([new Date(Date.parse(event.occurredAt)).toISOString(), event.id])).toString('base64url');

/** The same checks as decodeCursor: what encodeEventCursor writes, nothing else. */
export function decodeEventCursor(cursor: string): EventPosition | null {
  const decoded = decodeCursor(cursor);
  return decoded && { at: decoded.firstEventAt, id: decoded.id };
}

/** Read side of the timeline: every query is parameterised and served by an index of the migration. */
@Injectable()
export class IncidentQueries {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Resolves an incident id or any key linked to it; a merged incident resolves to the one it was merged into. */
  async resolve(idOrKey: string): Promise<{ id: string; merged: boolean } | null> {
    return resolveReference(this.dataSource, idOrKey);
  }

  async state(id: string): Promise<IncidentState | null> {
    const rows: { state: IncidentState }[] = await this.dataSource.query('SELECT state FROM incidents WHERE id = $1', [id]);
    const state = rows[0]?.state;
    return state ? (await this.withPossibleDuplicates([state]))[0]! : null;
  }

  /**
   * Fills possibleDuplicates: the other (unmerged) incidents that carry one of an incident's keys (rule 1
   * over several keys). Read from the stored states, so both sides list each other whichever was saved last.
   */
  async withPossibleDuplicates(states: IncidentState[]): Promise<IncidentState[]> {
    if (states.length === 0) return states;
    const rows: { of: string; id: string }[] = await this.dataSource.query(
      `SELECT w.id AS of, o.id FROM jsonb_to_recordset($1::jsonb) AS w (id text, keys text[])
       JOIN incidents o ON o.merged_into IS NULL AND o.id <> w.id AND o.state->'keys' ?| w.keys
       WHERE cardinality(w.keys) > 0
       ORDER BY o.id`,
      [JSON.stringify(states.map((state) => ({ id: state.id, keys: state.keys })))],
    );
    const byIncident = new Map<string, string[]>();
    for (const row of rows) byIncident.set(row.of, [...new Set([...(byIncident.get(row.of) ?? []), row.id])]);
    return states.map((state) => ({ ...state, possibleDuplicates: byIncident.get(state.id) ?? [] }));
  }

  /**
   * One page of an incident's events in the domain's order: event time to the millisecond (events
   * stored before instants were normalised may carry microseconds, hence date_trunc), then id in code
   * point order (COLLATE "C", not the database's locale). The cursor is the last event's position.
   */
  async events(id: string, page: { limit: number; after?: EventPosition }): Promise<{ events: IncidentEvent[]; nextCursor: string | null }> {
    const at = "date_trunc('milliseconds', occurred_at)";
    const after = page.after ? `AND (${at} > $3::timestamptz OR (${at} = $3::timestamptz AND event_id COLLATE "C" > $4))` : '';
    const params = page.after ? [id, page.limit + 1, page.after.at, page.after.id] : [id, page.limit + 1];
    const rows: { payload: IncidentEvent }[] = await this.dataSource.query(
      `SELECT payload FROM events WHERE incident_id = $1 ${after} ORDER BY ${at}, event_id COLLATE "C" LIMIT $2`,
      params,
    );
    const events = orderEvents(rows.slice(0, page.limit).map((row) => row.payload));
    const last = events.at(-1);
    return { events, nextCursor: rows.length > page.limit && last ? encodeEventCursor(last) : null };
  }

  async list(filter: IncidentFilter): Promise<IncidentPage> {
    // A merged incident is answered for by its target; it is not listed on its own.
    const where: string[] = ['merged_into IS NULL'];
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
       WHERE ${where.join(' AND ')}
       ORDER BY first_event_at DESC, id DESC
       LIMIT ${param(filter.limit + 1)}`,
      params,
    );
    const page = rows.slice(0, filter.limit);
    const last = page.at(-1);
    return {
      items: await this.withPossibleDuplicates(page.map((row) => row.state)),
      nextCursor: rows.length > filter.limit && last ? encodeCursor(last.first_event_at, last.id) : null,
    };
  }

  /** The oldest unattached events, and how many there are, counted no further than UNATTACHED_COUNT_CAP. */
  async unattached(limit: number): Promise<{ items: IncidentEvent[]; total: number; totalCapped: boolean }> {
    const [rows, count] = await Promise.all([
      this.dataSource.query('SELECT payload FROM events WHERE incident_id IS NULL ORDER BY occurred_at, event_id LIMIT $1', [limit]),
      this.dataSource.query('SELECT count(*)::int AS total FROM (SELECT 1 FROM events WHERE incident_id IS NULL LIMIT $1) AS capped', [UNATTACHED_COUNT_CAP + 1]),
    ]);
    const counted = (count as { total: number }[])[0]!.total;
    return { items: (rows as { payload: IncidentEvent }[]).map((row) => row.payload), total: Math.min(counted, UNATTACHED_COUNT_CAP), totalCapped: counted > UNATTACHED_COUNT_CAP };
  }
}
