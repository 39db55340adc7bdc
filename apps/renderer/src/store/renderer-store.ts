import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { project, type IncidentEvent, type IncidentState } from '@app/domain';
import { ADVISORY_LOCKS, lockIncidents, storePlacements, type CorrelatedEvent, type Placement, type StoredPlacements } from '@app/platform';
import { DATA_SOURCE } from '../tokens.js';
import { foldAppended } from './fold-appended.js';

export type { CorrelatedEvent };

export type StoredBatch = StoredPlacements;

export interface Projected {
  states: IncidentState[];
  /** How many of them were folded on from the stored state rather than projected from all events. */
  folded: number;
}

export interface StoredDraft {
  version: number;
  preparedOn: string;
  fileName: string;
  createdAt: string;
  markdown: string;
}

export interface NewDraft {
  incidentId: string;
  preparedOn: string;
  fileName: string;
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

  /**
   * Records the merges these messages announce, in the order the timeline made them (the merged incident's
   * events, drafts and reads follow its target from then on), and returns where each event goes: its
   * incident mapped to the one answering for it as of the message, and the targets of the merges (to
   * re-project). Messages without a sequence (producers that do not number placements) count as older than
   * everything, so they never move a stored copy and always follow aliases. `reopened`: merged incidents that
   * hold events again; their stored state still tells of the events they handed over, so they are re-projected.
   */
  async followMerges(manager: EntityManager, events: CorrelatedEvent[]): Promise<{ placements: Placement[]; targets: string[]; reopened: string[] }> {
    const targets: string[] = [];
    const merges = events.filter((e) => e.mergedFrom !== undefined && e.mergedFrom !== e.incidentId).sort((a, b) => (a.sequence ?? -1) - (b.sequence ?? -1));
    for (const { mergedFrom: from, incidentId: into, sequence = -1 } of merges) {
      // Stale when the alias kept is newer, or when `from` held events again after this merge (a late event can
      // split what was joined): those messages were numbered after this one.
      const kept: unknown[] = await manager.query(
        `INSERT INTO renderer_incident_aliases (from_id, into_id, sequence)
         SELECT $1, $2, $3 WHERE NOT EXISTS (SELECT 1 FROM renderer_events WHERE incident_id = $1 AND sequence > $3)
           AND NOT EXISTS (SELECT 1 FROM renderer_incident_aliases WHERE into_id = $1 AND sequence > $3)
         ON CONFLICT (from_id) DO UPDATE SET into_id = excluded.into_id, sequence = excluded.sequence WHERE renderer_incident_aliases.sequence <= excluded.sequence
         RETURNING from_id`,
        [from, into, sequence],
      );
      if (kept.length === 0) continue;
      // The target answers for itself from now on (it may have been an alias once).
      await manager.query('DELETE FROM renderer_incident_aliases WHERE from_id = $1 AND sequence < $2', [into, sequence]);
      await manager.query('UPDATE renderer_incident_aliases SET into_id = $2 WHERE into_id = $1 AND sequence < $3 AND from_id <> $2', [from, into, sequence]);
      // The timeline also sends each moved event under the target; this moves the copies at once, and any copy
      // placed elsewhere after this merge keeps its newer placement.
      await manager.query('UPDATE renderer_events SET incident_id = $2 WHERE incident_id = $1 AND COALESCE(sequence, -1) <= $3', [from, into, sequence]);
      targets.push(into);
    }
    return { ...(await this.answering(manager, events)), targets };
  }

  /**
   * Where each message's event goes: no incident when detached; else the incident answering for the message's
   * as of the message: through an alias made after it, else itself, and then an alias made before it is
   * over (the incident holds events again, as after a split). One read and at most one write per batch.
   */
  private async answering(manager: EntityManager, events: CorrelatedEvent[]): Promise<{ placements: Placement[]; reopened: string[] }> {
    const ids = [...new Set(events.filter((e) => !e.detached).map((e) => e.incidentId))];
    const rows: { from_id: string; into_id: string; sequence: string }[] = ids.length === 0 ? [] : await manager.query(
      'SELECT from_id, into_id, sequence FROM renderer_incident_aliases WHERE from_id = ANY($1::text[])',
      [ids],
    );
    const aliases = new Map(rows.map((row) => [row.from_id, { into: row.into_id, sequence: Number(row.sequence) }]));
    const over = new Map<string, number>();
    const placements = events.map((message): Placement => {
      const sequence = message.sequence ?? -1;
      if (message.detached) return { event: message.event, sequence, incidentId: null };
      const alias = aliases.get(message.incidentId);
      if (!alias) return { event: message.event, sequence, incidentId: message.incidentId };
      if (sequence <= alias.sequence) return { event: message.event, sequence, incidentId: alias.into };
      over.set(message.incidentId, Math.max(sequence, over.get(message.incidentId) ?? -1));
      return { event: message.event, sequence, incidentId: message.incidentId };
    });
    if (over.size > 0) {
      await manager.query(
        'DELETE FROM renderer_incident_aliases a USING unnest($1::text[], $2::bigint[]) AS o (id, sequence) WHERE a.from_id = o.id AND a.sequence < o.sequence',
        [[...over.keys()], [...over.values()]],
      );
    }
    return { placements, reopened: [...over.keys()] };
  }

  /** Stores each event's newest placement (storePlacements); returns the incidents touched and the events only appended. */
  storeEvents(manager: EntityManager, placements: Placement[]): Promise<StoredBatch> {
    return storePlacements(manager, 'renderer_events', placements);
  }

  /** Serialises the batches that touch one incident (lockIncidents), across instances. */
  lockIncidents(manager: EntityManager, incidentIds: string[]): Promise<void> {
    return lockIncidents(manager, ADVISORY_LOCKS.rendererIncident, incidentIds);
  }

  /** Incidents among `incidentIds` that hold no event any more (all moved away) stop being listed. */
  async forgetEmptied(manager: EntityManager, incidentIds: string[]): Promise<void> {
    if (incidentIds.length === 0) return;
    await manager.query(
      'DELETE FROM renderer_incidents i WHERE i.id = ANY($1::text[]) AND NOT EXISTS (SELECT 1 FROM renderer_events e WHERE e.incident_id = i.id)',
      [incidentIds],
    );
  }

  /**
   * Projects the incidents and upserts their rows: those `appended` names, where it can, by folding the
   * batch's events onto the stored state (foldAppended: an alert storm's next batch then costs what it
   * holds, not what the incident holds), the others from all their stored events. A fixed number of
   * queries for the whole batch, whatever the number of incidents (a round trip each made the renderer the
   * busiest process of the end-to-end benchmark).
   */
  async reproject(manager: EntityManager, incidentIds: string[], appended: ReadonlyMap<string, readonly IncidentEvent[]> = new Map()): Promise<Projected> {
    if (incidentIds.length === 0) return { states: [], folded: 0 };
    const asked = new Set(incidentIds);
    const folded = await foldAppended(manager, new Map([...appended].filter(([id]) => asked.has(id))));
    const rest = incidentIds.filter((id) => !folded.has(id));
    const byIncident = new Map<string, IncidentEvent[]>(rest.map((id) => [id, []]));
    // Only incidents that hold events: a merged incident's events now count as its target's.
    const rows: { incident_id: string; payload: IncidentEvent }[] = rest.length === 0 ? [] : await manager.query(
      'SELECT incident_id, payload FROM renderer_events WHERE incident_id = ANY($1::text[])',
      [rest],
    );
    for (const row of rows) byIncident.get(row.incident_id)!.push(row.payload);
    const reprojected = [...byIncident].filter(([, events]) => events.length > 0).map(([id, events]) => project(id, events));
    const states = [...folded.values(), ...reprojected];
    const records = states.map((state) => ({
      id: state.id,
      keys: state.keys,
      service: state.primaryService,
      category: state.rootCause?.category ?? null,
      is_open: state.open,
      first_event_at: state.firstEventAt,
      state,
    }));
    await manager.query(
      `INSERT INTO renderer_incidents (id, keys, service, category, is_open, first_event_at, state, updated_at)
       SELECT r.id, ARRAY(SELECT jsonb_array_elements_text(r.keys)), r.service, r.category, r.is_open, r.first_event_at, r.state, now()
       FROM jsonb_to_recordset($1::jsonb) AS r(id text, keys jsonb, service text, category text, is_open boolean, first_event_at timestamptz, state jsonb)
       ON CONFLICT (id) DO UPDATE SET keys = excluded.keys, service = excluded.service, category = excluded.category,
         is_open = excluded.is_open, first_event_at = excluded.first_event_at, state = excluded.state, updated_at = now()`,
      [JSON.stringify(records)],
    );
    return { states, folded: folded.size };
  }

  /** An incident id or key; a merged incident's id answers with the incident it was merged into. */
  async resolveId(idOrKey: string): Promise<string | null> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT into_id AS id FROM renderer_incident_aliases WHERE from_id = $1
       UNION ALL (SELECT id FROM renderer_incidents WHERE id = $1)
       UNION ALL (SELECT r.id FROM renderer_incidents r
                  WHERE r.keys @> ARRAY[$1::text] AND NOT EXISTS (SELECT 1 FROM renderer_incident_aliases a WHERE a.from_id = r.id)
                  ORDER BY r.first_event_at, r.id LIMIT 1)
       LIMIT 1`,
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
    return (await this.previousIncidents([state], manager)).get(state.id) ?? null;
  }

  /** previousIncident for several incidents in one query. */
  async previousIncidents(states: IncidentState[], manager: EntityManager | DataSource = this.dataSource): Promise<Map<string, IncidentState>> {
    if (states.length === 0) return new Map();
    const wanted = states.map((state) => ({ id: state.id, first_event_at: state.firstEventAt, category: state.rootCause?.category ?? null, service: state.primaryService }));
    // Two look-ups, each along its own index (renderer_incidents_previous_by_category / _by_service): one
    // ORDER BY preferring the category over an OR of both conditions scanned every resolved incident.
    const rows: { id: string; state: IncidentState }[] = await manager.query(
      `SELECT w.id, COALESCE(by_category.state, by_service.state) AS state
       FROM jsonb_to_recordset($1::jsonb) AS w(id text, first_event_at timestamptz, category text, service text)
       LEFT JOIN LATERAL (
         SELECT state FROM renderer_incidents
         WHERE NOT is_open AND category = w.category AND first_event_at < w.first_event_at AND id <> w.id
         ORDER BY first_event_at DESC LIMIT 1
       ) AS by_category ON true
       LEFT JOIN LATERAL (
         SELECT state FROM renderer_incidents
         WHERE by_category.state IS NULL AND NOT is_open AND service = w.service AND first_event_at < w.first_event_at AND id <> w.id
         ORDER BY first_event_at DESC LIMIT 1
       ) AS by_service ON true
       WHERE by_category.state IS NOT NULL OR by_service.state IS NOT NULL`,
      [JSON.stringify(wanted)],
    );
    return new Map(rows.map((row) => [row.id, row.state]));
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

  /**
   * Stores a new version of each draft unless the newest one already says the same, and names it in the draft
   * outbox. Returns the incidents whose draft got a new version, with that version.
   */
  async saveDrafts(manager: EntityManager, drafts: NewDraft[]): Promise<Map<string, number>> {
    if (drafts.length === 0) return new Map();
    const latest: { incident_id: string; version: number; markdown: string }[] = await manager.query(
      `SELECT DISTINCT ON (incident_id) incident_id, version, markdown FROM rca_drafts
       WHERE incident_id = ANY($1::text[]) ORDER BY incident_id, version DESC`,
      [drafts.map((draft) => draft.incidentId)],
    );
    const newest = new Map(latest.map((row) => [row.incident_id, row]));
    const changed = drafts
      .filter((draft) => newest.get(draft.incidentId)?.markdown !== draft.markdown)
      .map((draft) => ({ ...draft, version: (newest.get(draft.incidentId)?.version ?? 0) + 1 }));
    if (changed.length === 0) return new Map();
    await manager.query(
      `INSERT INTO rca_drafts (incident_id, version, prepared_on, file_name, markdown)
       SELECT * FROM unnest($1::text[], $2::int[], $3::date[], $4::text[], $5::text[])`,
      [changed.map((d) => d.incidentId), changed.map((d) => d.version), changed.map((d) => d.preparedOn), changed.map((d) => d.fileName), changed.map((d) => d.markdown)],
    );
    // The same transaction names them for rca-drafts.v1 (DraftRelay), in version order per incident.
    await manager.query('INSERT INTO renderer_draft_outbox (incident_id, version) SELECT * FROM unnest($1::text[], $2::int[])', [
      changed.map((d) => d.incidentId),
      changed.map((d) => d.version),
    ]);
    return new Map(changed.map((draft) => [draft.incidentId, draft.version]));
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
