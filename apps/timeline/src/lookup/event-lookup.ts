import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '../tokens.js';

/**
 * Where a sent event stands, so a sender can prove what was delivered: `attached` to an incident,
 * stored but `unattached` (EVENTS.md rule 4), `conflict` (another payload arrived under its id; the first
 * one is kept, and `incidentId` says where it is), or `unknown` (not stored: not yet consumed, or never sent).
 */
export type EventStanding =
  | { id: string; status: 'attached'; incidentId: string }
  | { id: string; status: 'unattached' }
  | { id: string; status: 'conflict'; incidentId: string | null }
  | { id: string; status: 'unknown' };

@Injectable()
export class EventLookup {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** One answer per id, in the order asked (duplicates answered each time). */
  async lookup(ids: readonly string[]): Promise<EventStanding[]> {
    const rows: { id: string; stored: boolean; incident_id: string | null; conflict: boolean }[] = await this.dataSource.query(
      `SELECT asked.id, e.event_id IS NOT NULL AS stored, e.incident_id,
              EXISTS (SELECT 1 FROM event_conflicts c WHERE c.event_id = asked.id) AS conflict
         FROM (SELECT DISTINCT unnest($1::text[]) AS id) asked
         LEFT JOIN events e ON e.event_id = asked.id`,
      [ids],
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id): EventStanding => {
      const row = byId.get(id);
      if (!row?.stored) return { id, status: 'unknown' };
      if (row.conflict) return { id, status: 'conflict', incidentId: row.incident_id };
      return row.incident_id ? { id, status: 'attached', incidentId: row.incident_id } : { id, status: 'unattached' };
    });
  }
}
