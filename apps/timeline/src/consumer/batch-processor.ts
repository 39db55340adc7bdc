import { Inject, Injectable, Logger } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { ADVISORY_LOCKS } from '@app/platform';
import { eventKeys, foldOntoStored, incidentIdFor, orderEvents, planCorrelation, project, type CorrelationOptions, type CorrelationPlan, type IncidentEvent, type IncidentState } from '@app/domain';
import { TIMELINE_CONFIG, type TimelineConfig } from '../config.js';
import { assignEvents, classifyBatch, insertEvents, type FreshEvent, type IncomingEvent } from '../event-store/append-events.js';
import { storableInstant } from '../event-store/instants.js';
import { loadIncidentsEvents, loadUnattached } from '../event-store/read-events.js';
import { loadCandidateIncidents, saveIncidents } from '../incidents/incident-store.js';
import { enqueueTimeline } from '../outbox/enqueue-timeline.js';
import { DATA_SOURCE } from '../tokens.js';
import type { BatchReport } from './batch-report.js';
import { applyMerges, loadRetractionTargets, loadWaitingRetractions } from './corrections-context.js';

/** What correlation of a batch may touch: the incidents and unattached events loaded so far. */
interface CorrelationContext {
  known: Map<string, IncidentState>;
  unattached: IncidentEvent[];
  services: Set<string>;
  keys: Set<string>;
  /** Stored retractions waiting for an event this batch places. */
  waitingRetractions: IncidentEvent[];
  /** Stored, attached targets of the retractions at hand: event id -> incident id. */
  retractionTargets: Map<string, string>;
}

/** No incident this batch touches can have a window opening before this instant. */
function earliestWindowStart(fresh: IncidentEvent[], known: Iterable<IncidentState>, marginMinutes: number): string {
  let earliest = Math.min(...fresh.map((event) => Date.parse(event.occurredAt)));
  for (const state of known) if (state.firstEventAt) earliest = Math.min(earliest, Date.parse(state.firstEventAt));
  return storableInstant(earliest - marginMinutes * 60_000);
}

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
      await manager.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCKS.correlation]);
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
    const options: CorrelationOptions = { marginMinutes: this.config.CORRELATION_MARGIN_MINUTES, newIncidentId: incidentIdFor };
    const { context, plan } = await planInStableContext(manager, fresh, options);
    return persistPlan(manager, incoming, context, plan);
  }
}

/**
 * Attaching can widen a window or link a key that concerns incidents or unattached events not loaded yet:
 * loads the correlation context, plans, and widens the context until a plan touches nothing new.
 */
async function planInStableContext(manager: EntityManager, fresh: IncidentEvent[], options: CorrelationOptions) {
  const context: CorrelationContext = {
    known: new Map(),
    unattached: [],
    services: new Set(fresh.map((event) => event.service)),
    keys: new Set(fresh.flatMap(eventKeys)),
    waitingRetractions: [],
    retractionTargets: new Map(),
  };
  for (;;) {
    await loadContext(manager, context, fresh, options.marginMinutes);
    const plan = planCorrelation(context.known.values(), fresh, [...context.unattached, ...context.waitingRetractions], options, context.retractionTargets);
    const widened = widenContext(context, plan);
    if (!(await addWaitingRetractions(manager, context, plan)) && !widened) return { context, plan };
  }
}

/** The incidents that could take the fresh or unattached events, and the unattached events they could take. */
async function loadContext(manager: EntityManager, context: CorrelationContext, fresh: IncidentEvent[], marginMinutes: number): Promise<void> {
  const offered = [...fresh, ...context.unattached, ...context.waitingRetractions];
  context.retractionTargets = await loadRetractionTargets(manager, offered);
  for (const state of await loadCandidateIncidents(manager, offered, marginMinutes, [...context.retractionTargets.values()])) context.known.set(state.id, state);
  const notBefore = earliestWindowStart(fresh, context.known.values(), marginMinutes);
  context.unattached = await loadUnattached(manager, [...context.services], [...context.keys], notBefore);
}

/** Adds the services and keys of the incidents the plan attaches to; true when that is anything new. */
function widenContext(context: CorrelationContext, plan: CorrelationPlan): boolean {
  const before = context.services.size + context.keys.size;
  for (const [incidentId, events] of plan.attachments) {
    context.services.add(context.known.get(incidentId)?.primaryService ?? orderEvents(events)[0]!.service);
    for (const event of events) for (const key of eventKeys(event)) context.keys.add(key);
  }
  return context.services.size + context.keys.size > before;
}

/** Adds the stored retractions that wait for an event the plan places; true when there are new ones. */
async function addWaitingRetractions(manager: EntityManager, context: CorrelationContext, plan: CorrelationPlan): Promise<boolean> {
  const placed = [...plan.attachments.values()].flatMap((events) => events.map((event) => event.id));
  const known = new Set(context.waitingRetractions.map((event) => event.id));
  const waiting = (await loadWaitingRetractions(manager, placed)).filter((event) => !known.has(event.id));
  context.waitingRetractions.push(...waiting);
  return waiting.length > 0;
}

/** Appends the fresh events already placed, attaches the formerly unattached ones, projects, enqueues. */
async function persistPlan(manager: EntityManager, incoming: FreshEvent[], context: CorrelationContext, plan: CorrelationPlan) {
  const incidentOf = new Map<string, string>();
  for (const [incidentId, events] of plan.attachments) for (const event of events) incidentOf.set(event.id, incidentId);
  await insertEvents(manager, incoming, incidentOf);
  const freshIds = new Set(incoming.map((item) => item.event.id));
  await assignEvents(manager, [...incidentOf].filter(([eventId]) => !freshIds.has(eventId)));
  await saveIncidents(manager, await projectIncidents(manager, context.known, plan.attachments));
  await enqueueTimeline(manager, plan.attachments);
  await applyMerges(manager, plan);
  return { attached: incidentOf.size, opened: plan.opened.size };
}

/** Folds onto the stored states where foldOntoStored may; re-projects the rest from their stored logs, in one query. */
async function projectIncidents(manager: EntityManager, known: ReadonlyMap<string, IncidentState>, attachments: Map<string, IncidentEvent[]>): Promise<IncidentState[]> {
  const { states, reproject } = foldOntoStored(known, attachments);
  for (const [id, events] of await loadIncidentsEvents(manager, reproject)) states.push(project(id, events));
  return states;
}
