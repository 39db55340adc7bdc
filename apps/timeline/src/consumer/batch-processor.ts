import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { canEvolveInOrder, evolve, orderEvents, project, type IncidentEvent, type IncidentState } from '@app/domain';
import { TIMELINE_CONFIG, type TimelineConfig } from '../config.js';
import { classifyBatch, insertEvents, type IncomingEvent } from '../event-store/append-events.js';
import { DATA_SOURCE } from '../tokens.js';
import { planCorrelation } from './correlation-plan.js';
import { assignEvents, enqueueTimeline, loadCandidateIncidents, loadIncidentEvents, loadUnattached, saveIncidents, storableInstant } from './incident-writes.js';

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

  private async correlateAndStore(manager: EntityManager, incoming: IncomingEvent[]) {
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
        for (const key of known.get(incidentId)?.keys ?? []) keys.add(key);
      }
      if (services.size + keys.size > before) continue;
      // Fresh events are written once, already placed; only formerly unattached ones are updated.
      const incidentOf = new Map<string, string>();
      for (const [incidentId, events] of plan.attachments) for (const event of events) incidentOf.set(event.id, incidentId);
      await insertEvents(manager, incoming, incidentOf);
      const freshIds = new Set(fresh.map((event) => event.id));
      await assignEvents(manager, [...incidentOf].filter(([eventId]) => !freshIds.has(eventId)));
      // One at a time: they share the transaction's single connection (concurrent queries on one pg client are deprecated).
      const states: IncidentState[] = [];
      for (const [id, events] of plan.attachments) states.push(await this.projectIncident(manager, known.get(id), id, events));
      await saveIncidents(manager, states);
      await enqueueTimeline(manager, plan.attachments);
      return { attached: incidentOf.size, opened: plan.opened.size };
    }
  }

  /** Folds in-order events onto the stored state; anything late re-projects from the stored log. */
  private async projectIncident(manager: EntityManager, stored: IncidentState | undefined, id: string, added: IncidentEvent[]): Promise<IncidentState> {
    const ordered = orderEvents(added);
    if (!stored) return project(id, ordered);
    if (canEvolveInOrder(stored, ordered[0]!)) return ordered.reduce(evolve, stored);
    return project(id, await loadIncidentEvents(manager, id));
  }
}
