import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { project, type IncidentEvent, type IncidentState } from '@app/domain';
import { DATA_SOURCE } from '../tokens.js';

export interface CorrelatedEvent {
  incidentId: string;
  event: IncidentEvent;
}

export interface StoredDraft {
  version: number;
  preparedOn: string;
  fileName: string;
  createdAt: string;
  markdown: string;
}

export interface PreviousIncident {
  date: string;
  slug: string;
}

/** The renderer's tables: a copy of each incident's events, its projection, and RCA draft versions. */
@Injectable()
export class RendererStore {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  /** Stores re-deliveries as no-ops; returns the incidents that got new events. */
  async storeEvents(manager: EntityManager, events: CorrelatedEvent[]): Promise<string[]> {
    if (events.length === 0) return [];
    const rows: { incident_id: string }[] = await manager.query(
      `INSERT INTO renderer_events (event_id, incident_id, payload)
       SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[])
       ON CONFLICT (event_id) DO NOTHING
       RETURNING incident_id`,
      [events.map((e) => e.event.id), events.map((e) => e.incidentId), events.map((e) => JSON.stringify(e.event))],
    );
    return [...new Set(rows.map((row) => row.incident_id))];
  }

  async reproject(manager: EntityManager, incidentId: string): Promise<IncidentState> {
    const rows: { payload: IncidentEvent }[] = await manager.query('SELECT payload FROM renderer_events WHERE incident_id = $1', [incidentId]);
    const state = project(incidentId, rows.map((row) => row.payload));
    await manager.query(
      `INSERT INTO renderer_incidents (id, keys, service, category, is_open, first_event_at, state, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now())
       ON CONFLICT (id) DO UPDATE SET keys = excluded.keys, service = excluded.service, category = excluded.category,
         is_open = excluded.is_open, first_event_at = excluded.first_event_at, state = excluded.state, updated_at = now()`,
      [state.id, state.keys, state.primaryService, state.rootCause?.category ?? null, state.open, state.firstEventAt, JSON.stringify(state)],
    );
    return state;
  }

  async resolveId(idOrKey: string): Promise<string | null> {
    const rows: { id: string }[] = await this.dataSource.query(
      'SELECT id FROM renderer_incidents WHERE id = $1 OR keys @> ARRAY[$1::text] ORDER BY (id = $1) DESC LIMIT 1',
      [idOrKey],
    );
    return rows[0]?.id ?? null;
  }

  async state(incidentId: string): Promise<IncidentState | null> {
    const rows: { state: IncidentState }[] = await this.dataSource.query('SELECT state FROM renderer_incidents WHERE id = $1', [incidentId]);
    return rows[0]?.state ?? null;
  }

  /** The previous resolved incident of the same category, else of the same service (the RCA's related link). */
  async previousIncident(state: IncidentState, manager: EntityManager | DataSource = this.dataSource): Promise<IncidentState | null> {
    const category = state.rootCause?.category ?? null;
    const rows: { state: IncidentState }[] = await manager.query(
      `SELECT state FROM renderer_incidents
       WHERE NOT is_open AND id <> $1 AND first_event_at < $2 AND (category = $3 OR service = $4)
       ORDER BY (category IS NOT DISTINCT FROM $3) DESC, first_event_at DESC
       LIMIT 1`,
      [state.id, state.firstEventAt, category, state.primaryService],
    );
    return rows[0]?.state ?? null;
  }

  async latestDraft(incidentId: string, manager: EntityManager | DataSource = this.dataSource): Promise<StoredDraft | null> {
    const rows = await this.drafts(manager, incidentId, 1);
    return rows[0] ?? null;
  }

  async listDrafts(incidentId: string): Promise<Omit<StoredDraft, 'markdown'>[]> {
    return (await this.drafts(this.dataSource, incidentId, 1000)).map(({ markdown: _markdown, ...meta }) => meta);
  }

  async draft(incidentId: string, version: number): Promise<StoredDraft | null> {
    const rows = await this.drafts(this.dataSource, incidentId, 1, version);
    return rows[0] ?? null;
  }

  /** Stores a new version unless the newest one already says the same. Returns the version stored, if any. */
  async saveDraft(manager: EntityManager, incidentId: string, draft: { preparedOn: string; fileName: string; markdown: string }): Promise<number | null> {
    const latest = await this.latestDraft(incidentId, manager);
    if (latest?.markdown === draft.markdown) return null;
    const version = (latest?.version ?? 0) + 1;
    await manager.query(
      'INSERT INTO rca_drafts (incident_id, version, prepared_on, file_name, markdown) VALUES ($1, $2, $3, $4, $5)',
      [incidentId, version, draft.preparedOn, draft.fileName, draft.markdown],
    );
    return version;
  }

  private async drafts(manager: EntityManager | DataSource, incidentId: string, limit: number, version?: number): Promise<StoredDraft[]> {
    const rows: { version: number; prepared_on: string; file_name: string; created_at: Date; markdown: string }[] = await manager.query(
      `SELECT version, to_char(prepared_on, 'YYYY-MM-DD') AS prepared_on, file_name, created_at, markdown FROM rca_drafts
       WHERE incident_id = $1 AND ($2::int IS NULL OR version = $2) ORDER BY version DESC LIMIT $3`,
      [incidentId, version ?? null, limit],
    );
    return rows.map((row) => ({ version: row.version, preparedOn: row.prepared_on, fileName: row.file_name, createdAt: row.created_at.toISOString(), markdown: row.markdown }));
  }
}
