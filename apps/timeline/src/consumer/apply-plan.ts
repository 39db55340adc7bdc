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
  // A merged-away incident never stored gets its row first, as the alias it is.
  await saveIncidents(manager, [...plan.mergedAway.map((merge) => project(merge.id, merge.events)), ...plan.changed.map((incident) => project(incident.id, incident.events))]);
  // Keys correlation derives (label keys) are no part of a projection: linked here so later batches find the incident.
  await linkKeys(manager, plan.changed.map((incident) => ({ id: incident.id, startedAt: new Date(incident.firstAtMs).toISOString(), keys: incident.keys })));
  await retireIncidents(manager, plan.retired);
  await enqueueDetached(manager, plan.detached);
  await enqueueTimeline(manager, plan.added);
  await applyMerges(manager, plan);
}
