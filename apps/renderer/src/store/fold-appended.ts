import type { EntityManager } from 'typeorm';
import { compareEvents, evolveAll, isCorrection, orderEvents, type IncidentEvent, type IncidentState } from '@app/domain';
import { retractedAmong } from '@app/platform';

/**
 * The states of the incidents whose batch events can be folded onto their stored state, by incident id.
 * `project` folds an incident's events in canonical order, leaving out the ones a retraction names, so
 * folding the batch's events onto the stored state (the projection of the events stored before) is
 * projecting the whole set when: they are all newly stored in it (the caller's `appended`: no copy moved
 * in or out, no merge), none is a retraction or a merge (a retraction takes an event out; a merge is
 * checked against the whole set elsewhere), no stored retraction names one of them, and all sort after
 * the last event the stored state folded (an event a retraction left out was never folded, so it is not
 * that last one, and an event after it changes nothing). The others are left to a projection from all
 * their events; so is an incident without a stored state. Two queries, none reading an incident's events.
 */
export async function foldAppended(manager: EntityManager, appended: ReadonlyMap<string, readonly IncidentEvent[]>): Promise<Map<string, IncidentState>> {
  const candidates = [...appended].filter(([, events]) => events.length > 0 && !events.some(isCorrection));
  if (candidates.length === 0) return new Map();
  const stored: { id: string; state: IncidentState }[] = await manager.query('SELECT id, state FROM renderer_incidents WHERE id = ANY($1::text[])', [candidates.map(([id]) => id)]);
  const states = new Map(stored.map((row) => [row.id, row.state]));
  // Any stored retraction, whatever incident holds it: one elsewhere only costs this incident a projection.
  const retracted = await retractedAmong(manager, 'renderer_events', candidates.flatMap(([, events]) => events.map((event) => event.id)));
  const folded = new Map<string, IncidentState>();
  for (const [id, events] of candidates) {
    const state = states.get(id);
    if (!state?.lastEventAt || !state.lastEventId || events.some((event) => retracted.has(event.id))) continue;
    const ordered = orderEvents(events);
    if (compareEvents({ occurredAt: state.lastEventAt, id: state.lastEventId }, ordered[0]!) >= 0) continue;
    folded.set(id, evolveAll(state, ordered));
  }
  return folded;
}
