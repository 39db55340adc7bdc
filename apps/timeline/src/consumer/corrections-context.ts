import type { EntityManager } from 'typeorm';
import { orderEvents, type CorrelationPlan, type IncidentEvent } from '@app/domain';
import { mergeIncidents, resolveIncident } from '../incidents/merge-incidents.js';

/*
 * What the timeline stores for corrections (EVENTS.md, December additions): a retraction belongs to the
 * incident holding the event it names and waits unattached until that event is placed; an incident.merged
 * makes its incident an alias of the target, or waits in pending_merges until the target is known.
 */

type Retraction = Extract<IncidentEvent, { type: 'event.retracted' }>;
const isRetraction = (event: IncidentEvent): event is Retraction => event.type === 'event.retracted';

/** Stored, attached targets of these retractions: event id -> incident id. */
export async function loadRetractionTargets(manager: EntityManager, events: readonly IncidentEvent[]): Promise<Map<string, string>> {
  const targets = [...new Set(events.filter(isRetraction).map((event) => event.data.eventId))];
  if (targets.length === 0) return new Map();
  const rows: { event_id: string; incident_id: string }[] = await manager.query(
    'SELECT event_id, incident_id FROM events WHERE event_id = ANY($1::text[]) AND incident_id IS NOT NULL',
    [targets],
  );
  return new Map(rows.map((row) => [row.event_id, row.incident_id]));
}

/** Stored retractions still waiting for one of these events (served by events_retractions_by_target). */
export async function loadWaitingRetractions(manager: EntityManager, eventIds: readonly string[]): Promise<IncidentEvent[]> {
  if (eventIds.length === 0) return [];
  const rows: { payload: IncidentEvent }[] = await manager.query(
    `SELECT payload FROM events WHERE type = 'event.retracted' AND (payload->'data'->>'eventId') = ANY($1::text[]) AND incident_id IS NULL`,
    [eventIds],
  );
  return rows.map((row) => row.payload);
}

/**
 * Applies the incident.merged events this plan attached, in event-time order, then any waiting merge whose
 * target has become known. Returns how many merges changed something.
 */
export async function applyMerges(manager: EntityManager, plan: CorrelationPlan): Promise<number> {
  const merges = orderEvents([...plan.added.values()].flat().filter((event) => event.type === 'incident.merged'));
  let applied = 0;
  for (const merge of merges) {
    const into = await resolveIncident(manager, merge.data.into);
    if (into === null) {
      await manager.query('INSERT INTO pending_merges (event_id, into_ref) VALUES ($1, $2) ON CONFLICT DO NOTHING', [merge.id, merge.data.into]);
      continue;
    }
    const from = await incidentOfEvent(manager, merge.id);
    if (from !== null && (await mergeIncidents(manager, from, into, `incident.merged ${merge.id}`)).into !== null) applied += 1;
  }
  return applied + (await applyPendingMerges(manager));
}

/** Waiting merges whose target now resolves (the table is empty but for merges sent before their target). */
async function applyPendingMerges(manager: EntityManager): Promise<number> {
  const pending: { event_id: string; into_ref: string; incident_id: string | null }[] = await manager.query(
    `SELECT p.event_id, p.into_ref, e.incident_id FROM pending_merges p JOIN events e ON e.event_id = p.event_id
     WHERE EXISTS (SELECT 1 FROM incidents WHERE id = p.into_ref) OR EXISTS (SELECT 1 FROM incident_keys WHERE key = p.into_ref)
     ORDER BY e.occurred_at, p.event_id`,
  );
  let applied = 0;
  for (const row of pending) {
    if (row.incident_id === null) continue;
    await manager.query('DELETE FROM pending_merges WHERE event_id = $1', [row.event_id]);
    if ((await mergeIncidents(manager, row.incident_id, row.into_ref, `incident.merged ${row.event_id}`)).into !== null) applied += 1;
  }
  return applied;
}

async function incidentOfEvent(manager: EntityManager, eventId: string): Promise<string | null> {
  const rows: { incident_id: string | null }[] = await manager.query('SELECT incident_id FROM events WHERE event_id = $1', [eventId]);
  return rows[0]?.incident_id ?? null;
}
