import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { compareEvents, evolve, initialIncidentState, isCorrection, noticesBetween, orderEvents, project, summarize, type IncidentEvent, type IncidentState } from '@app/domain';
import { ADVISORY_LOCKS, lockIncidents, retractedAmong, storePlacements, type CorrelatedEvent, type Placement } from '@app/platform';
import { incidentNotice, mergedNotice, type Notice } from '../notices/notice.js';
import { readIncidents, writeIncidents, type IncidentRow } from './incident-rows.js';

/** Where a placement message came from: the sequence and time that name a notice it causes. */
interface Cause {
  eventId: string;
  sequence: number;
  occurredAt: string;
}

/**
 * Turns a batch of incident-timeline.v1 into notices, in the consumer's transaction. The notifier keeps its
 * own copy of the events (placements as the renderer keeps them: the newest `sequence` says where an event
 * is) and projects each incident it touches. An incident that only gained newer events is folded on event by
 * event, so each change is announced by the event that made it whatever the batches were; any other (events
 * moved in or out, a retraction, an older event) is projected from all its events and announced once. An
 * incident merged away is announced as `incident.merged` once and then stays silent unless it holds events
 * again (a later placement splits it off).
 */
@Injectable()
export class AnnounceIncidents {
  async apply(manager: EntityManager, messages: readonly CorrelatedEvent[]): Promise<{ notices: Notice[]; incidents: Map<string, IncidentRow> }> {
    const merges = messages.filter((m) => m.mergedFrom !== undefined && m.mergedFrom !== m.incidentId).sort((a, b) => (a.sequence ?? -1) - (b.sequence ?? -1));
    const ids = [...new Set(messages.flatMap((m) => [m.incidentId, ...(m.mergedFrom ? [m.mergedFrom] : [])]))];
    // Locked before anything is read: the batch's incidents and the merges' both sides.
    await lockIncidents(manager, ADVISORY_LOCKS.notifierIncident, ids);
    const known = await readIncidents(manager, ids);
    const notices: Notice[] = [];
    const reproject = new Set<string>();
    for (const merge of merges) {
      const from = known.get(merge.mergedFrom!);
      const sequence = merge.sequence ?? -1;
      if (!from || (from.mergeSequence ?? -1) >= sequence) continue;
      await manager.query('UPDATE notifier_events SET incident_id = $2 WHERE incident_id = $1 AND COALESCE(sequence, -1) <= $3', [from.id, merge.incidentId, sequence]);
      if (from.announced && from.mergedInto === null) notices.push(mergedNotice(summarize(from.state), merge.incidentId, { sequence, occurredAt: merge.event.occurredAt }));
      from.mergedInto = merge.incidentId;
      from.mergeSequence = sequence;
      reproject.add(merge.incidentId);
    }
    const placements = messages.map((message): Placement => {
      const sequence = message.sequence ?? -1;
      if (message.detached) return { event: message.event, incidentId: null, sequence };
      const row = known.get(message.incidentId);
      // A message older than the merge of its incident follows it to the target; a newer one splits it off again.
      if (row?.mergedInto && sequence <= (row.mergeSequence ?? -1)) return { event: message.event, incidentId: row.mergedInto, sequence };
      if (row?.mergedInto) {
        row.mergedInto = null;
        row.mergeSequence = null;
        reproject.add(row.id);
      }
      return { event: message.event, incidentId: message.incidentId, sequence };
    });
    const stored = await storePlacements(manager, 'notifier_events', placements);
    const touched = [...new Set([...stored.touched, ...reproject])];
    await lockIncidents(manager, ADVISORY_LOCKS.notifierIncident, touched);
    for (const [id, row] of await readIncidents(manager, touched.filter((id) => !known.has(id)))) known.set(id, row);
    const causes = new Map(messages.map((m) => [m.event.id, { eventId: m.event.id, sequence: m.sequence ?? -1, occurredAt: m.event.occurredAt }]));
    const retracted = await retractedAmong(manager, 'notifier_events', [...stored.appended.values()].flat().map((event) => event.id));
    const changed: IncidentRow[] = [];
    for (const id of touched) {
      const appended = reproject.has(id) ? undefined : stored.appended.get(id);
      const row = known.get(id) ?? (appended ? newIncident(id) : undefined);
      const folded = row && appended && foldable(row.state, appended, retracted) ? orderEvents(appended) : null;
      const next = folded ? row! : await this.projected(manager, id, row);
      if (!next) continue;
      const announce = (cause: Cause) => {
        if (next.mergedInto || next.state.eventCount === 0) return;
        const summary = summarize(next.state);
        for (const change of noticesBetween(next.announced, summary)) notices.push(incidentNotice(change, summary, cause));
        next.announced = summary;
      };
      if (folded) {
        for (const event of folded) {
          next.state = evolve(next.state, event);
          announce(causes.get(event.id)!);
        }
      } else {
        announce(lastCause(messages, id, next.state));
      }
      known.set(id, next);
      changed.push(next);
    }
    // Merged incidents that this batch did not otherwise touch still record the merge.
    for (const merge of merges) {
      const from = known.get(merge.mergedFrom!);
      if (from && !changed.includes(from)) changed.push(from);
    }
    await writeIncidents(manager, changed);
    return { notices, incidents: known };
  }

  /**
   * The incident projected from all its stored events; one that holds none any more (they all moved away)
   * keeps its last announcement and starts again from nothing, unannounced, should events come back.
   */
  private async projected(manager: EntityManager, id: string, row: IncidentRow | undefined): Promise<IncidentRow | null> {
    const events: { payload: IncidentEvent }[] = await manager.query('SELECT payload FROM notifier_events WHERE incident_id = $1', [id]);
    if (events.length === 0 && !row) return null;
    const state = project(id, events.map((e) => e.payload));
    return { id, state, announced: row?.announced ?? null, mergedInto: row?.mergedInto ?? null, mergeSequence: row?.mergeSequence ?? null };
  }
}

/**
 * Folding these events onto the stored state is projecting the whole set when they all sort after the last
 * event it folded, none is a correction and no stored retraction names one (as the renderer's foldAppended).
 */
function foldable(state: IncidentState, events: readonly IncidentEvent[], retracted: ReadonlySet<string>): boolean {
  if (events.some((e) => isCorrection(e) || retracted.has(e.id))) return false;
  if (state.eventCount === 0) return true;
  if (!state.lastEventAt || !state.lastEventId) return false;
  return compareEvents({ occurredAt: state.lastEventAt, id: state.lastEventId }, orderEvents(events)[0]!) < 0;
}

/** An incident the notifier has not seen: its events are folded onto the initial state, one by one. */
const newIncident = (id: string): IncidentRow => ({ id, state: initialIncidentState(id), announced: null, mergedInto: null, mergeSequence: null });

/** The cause of a notice after a projection: the batch's last message about the incident, else its latest event. */
function lastCause(messages: readonly CorrelatedEvent[], id: string, state: IncidentState): Cause {
  const last = messages.filter((m) => m.incidentId === id || m.mergedFrom === id).at(-1) ?? messages.at(-1)!;
  return { eventId: last.event.id, sequence: last.sequence ?? -1, occurredAt: state.lastEventAt ?? last.event.occurredAt };
}
