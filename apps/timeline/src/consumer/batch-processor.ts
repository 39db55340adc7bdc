import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { canEvolveInOrder, evolveAll, orderEvents, project, type IncidentEvent, type IncidentState } from '@app/domain';
import { TIMELINE_CONFIG, type TimelineConfig } from '../config.js';
import { classifyBatch, insertEvents, type FreshEvent, type IncomingEvent } from '../event-store/append-events.js';
import { DATA_SOURCE } from '../tokens.js';
import { planCorrelation } from './correlation-plan.js';
import { assignEvents, enqueueTimeline, loadCandidateIncidents, loadIncidentsEvents, loadUnattached, saveIncidents, storableInstant } from './incident-writes.js';

export interface BatchReport {
  stored: number;
  duplicates: number;
  conflicts: number;
  attached: number;
  opened: number;
}

/** No incident this batch touches can have a window opening before this instant. */
function earliestWindowStart(fresh: IncidentEvent[], known: Iterable<IncidentState>, marginMinutes: number): string {
  let earliest = Math.min(...fresh.map((event) => Date.parse(event.occurredAt)));
  for (const state of known) if (state.firstEventAt) earliest = Math.min(earliest, Date.parse(state.firstEventAt));
  return storableInstant(earliest - marginMinutes * 60_000);
}

/** Serialises correlation across consumers and instances, so one key never opens two incidents. */
export const CORRELATION_LOCK = 7_260_002;

/** Incidents are named after the event that opened them: deterministic, so replays name them the same. */
export const incidentIdFor = (event: IncidentEvent) => `inc-${createHash('sha256').update(event.id).digest('hex').slice(0, 16)}`;

@Injectable()
export class BatchProcessor {
  private readonly logger = new Logger('BatchProcessor');

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(TIMELINE_CONFIG) private readonly config: TimelineConfig,
  ) {}

  /** One transaction: classify, correlate, append, project, enqueue. Re-running it for the same events changes nothing. */
  async process(incoming: IncomingEvent[]): Promise<BatchReport> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [CORRELATION_LOCK]);
      const batch = await classifyBatch(manager, incoming);
      for (const conflict of batch.conflicts) {
        this.logger.warn(`event ${conflict.id} was re-sent with different content; the first stored version is kept`);
      }
      const report = { stored: batch.fresh.length, duplicates: batch.duplicates, conflicts: batch.conflicts.length, attached: 0, opened: 0 };
      if (batch.fresh.length === 0) return report;
      return { ...report, ...(await this.correlateAndStore(manager, batch.fresh)) };
    });
  }

  private async correlateAndStore(manager: EntityManager, incoming: FreshEvent[]) {
    const fresh = incoming.map((item) => item.event);
    const options = { marginMinutes: this.config.CORRELATION_MARGIN_MINUTES, newIncidentId: incidentIdFor };
    const known = new Map<string, IncidentState>();
    const services = new Set(fresh.map((event) => event.service));
    const keys = new Set(fresh.flatMap((event) => (event.incidentKey ? [event.incidentKey] : [])));
    // Attaching can widen a window or link a key that concerns incidents or unattached events not
    // loaded yet: widen the lookup until a plan touches nothing new.
    let unattached: IncidentEvent[] = [];
    for (;;) {
      for (const state of await loadCandidateIncidents(manager, [...fresh, ...unattached], options.marginMinutes)) known.set(state.id, state);
      unattached = await loadUnattached(manager, [...services], [...keys], earliestWindowStart(fresh, known.values(), options.marginMinutes));
      const plan = planCorrelation(known.values(), fresh, unattached, options);
      const before = services.size + keys.size;
      for (const [incidentId, events] of plan.attachments) {
        const service = known.get(incidentId)?.primaryService ?? orderEvents(events)[0]!.service;
        services.add(service);
        for (const event of events) if (event.incidentKey) keys.add(event.incidentKey);
      }
      if (services.size + keys.size > before) continue;
      // Fresh events are written once, already placed; only formerly unattached ones are updated.
      const incidentOf = new Map<string, string>();
      for (const [incidentId, events] of plan.attachments) for (const event of events) incidentOf.set(event.id, incidentId);
      await insertEvents(manager, incoming, incidentOf);
      const freshIds = new Set(fresh.map((event) => event.id));
      await assignEvents(manager, [...incidentOf].filter(([eventId]) => !freshIds.has(eventId)));
      await saveIncidents(manager, await projectIncidents(manager, known, plan.attachments));
      await enqueueTimeline(manager, plan.attachments);
      return { attached: incidentOf.size, opened: plan.opened.size };
    }
  }

}

/**
 * Folds in-order events onto each stored state; an incident that got a late event is re-projected
 * from its stored log, all of them loaded in one query.
 */
async function projectIncidents(manager: EntityManager, known: ReadonlyMap<string, IncidentState>, attachments: Map<string, IncidentEvent[]>): Promise<IncidentState[]> {
  const states: IncidentState[] = [];
  const late: string[] = [];
  for (const [id, added] of attachments) {
    const ordered = orderEvents(added);
    const stored = known.get(id);
    if (!stored) states.push(project(id, ordered));
    else if (canEvolveInOrder(stored, ordered[0]!)) states.push(evolveAll(stored, ordered));
    else late.push(id);
  }
  for (const [id, events] of await loadIncidentsEvents(manager, late)) states.push(project(id, events));
  return states;
}
