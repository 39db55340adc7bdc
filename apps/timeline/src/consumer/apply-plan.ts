import type { EntityManager } from 'typeorm';
import { project, type CorrelationPlan } from '@app/domain';
import { moveEvents } from '../event-store/append-events.js';
import { linkKeys, retireIncidents, saveIncidents } from '../incidents/incident-store.js';
import { enqueueDetached, enqueueTimeline } from '../outbox/enqueue-timeline.js';
import { applyMerges } from './corrections-context.js';

/**
 * Makes the stored correlation what a plan says, for the live batch (after appending its fresh events) and
 * for a rebuild alike: moves the stored events whose incident changed, saves the changed incidents'
 * projections and keys, retires the incidents joined into others (aliases), tells the renderer what each
 * incident gained or lost through the outbox, and applies the merges that became known. Run it under the
 * correlation lock.
 */
export async function applyPlan(manager: EntityManager, plan: CorrelationPlan): Promise<void> {
  await moveEvents(manager, plan.moves);
  // Every plan that reaches a merge's target names the merged-away incident again (its events are the
  // target's now): one already stored as that alias is left as it is, rather than saved, retired and
  // announced to the renderer anew by every batch.
  const stored = await storedAliases(manager, plan.mergedAway);
  const mergedAway = plan.mergedAway.filter((merge) => stored.get(merge.id) !== merge.into);
  const retired = plan.retired.filter((entry) => entry.successor === null || stored.get(entry.id) !== entry.successor);
  // A merged-away incident never stored gets its row first, as the alias it is.
  await saveIncidents(
    manager,
    [...mergedAway.map((merge) => project(merge.id, merge.events)), ...plan.changed.map((incident) => project(incident.id, incident.events))],
    new Map(plan.changed.map((incident) => [incident.id, incident.snapshot])),
  );
  // Keys correlation derives (label keys) are no part of a projection: linked here so later batches find the incident.
  await linkKeys(manager, plan.changed.map((incident) => ({ id: incident.id, startedAt: new Date(incident.firstAtMs).toISOString(), keys: incident.keys })));
  await retireIncidents(manager, retired);
  await enqueueDetached(manager, plan.detached);
  await enqueueTimeline(manager, plan.added);
  await applyMerges(manager, plan);
}

/** Which of these incidents are stored as aliases, and of which incident. */
async function storedAliases(manager: EntityManager, merges: readonly { id: string }[]): Promise<Map<string, string>> {
  if (merges.length === 0) return new Map();
  const rows: { id: string; merged_into: string }[] = await manager.query('SELECT id, merged_into FROM incidents WHERE id = ANY($1::text[]) AND merged_into IS NOT NULL', [
    merges.map((merge) => merge.id),
  ]);
  return new Map(rows.map((row) => [row.id, row.merged_into]));
}
