import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { canEvolveInOrder, evolve, orderEvents, project, type IncidentEvent, type IncidentState } from '@app/domain';
import { TIMELINE_CONFIG, type TimelineConfig } from '../config.js';
import { appendEvents, type IncomingEvent } from '../event-store/append-events.js';
import { DATA_SOURCE } from '../tokens.js';
import { planCorrelation } from './correlation-plan.js';
import { assignEvents, enqueueTimeline, loadCandidateIncidents, loadIncidentEvents, loadUnattached, saveIncidents } from './incident-writes.js';

export interface BatchReport {
  stored: number;
  duplicates: number;
  conflicts: number;
  attached: number;
  opened: number;
  unattachedTotal: number;
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

  /** One transaction: append, correlate, project, enqueue. Re-running it for the same events changes nothing. */
  async process(incoming: IncomingEvent[]): Promise<BatchReport> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [CORRELATION_LOCK]);
      const appended = await appendEvents(manager, incoming);
      for (const conflict of appended.conflicts) {
        this.logger.warn(`event ${conflict.id} was re-sent with different content; the first stored version is kept`);
      }
      const report = { stored: appended.fresh.length, duplicates: appended.duplicates, conflicts: appended.conflicts.length, attached: 0, opened: 0 };
      if (appended.fresh.length === 0) return { ...report, unattachedTotal: await countUnattached(manager) };
      const { attached, opened } = await this.correlateAndProject(manager, appended.fresh);
      return { ...report, attached, opened, unattachedTotal: await countUnattached(manager) };
    });
  }

  private async correlateAndProject(manager: EntityManager, fresh: IncidentEvent[]) {
    const options = { marginMinutes: this.config.CORRELATION_MARGIN_MINUTES, newIncidentId: incidentIdFor };
    const known = new Map<string, IncidentState>();
    const services = new Set(fresh.map((event) => event.service));
    const keys = new Set(fresh.flatMap((event) => (event.incidentKey ? [event.incidentKey] : [])));
    // Attaching can widen a window or link a key that concerns incidents or unattached events not
    // loaded yet: widen the lookup until a plan touches nothing new.
    for (;;) {
      const freshIds = new Set(fresh.map((event) => event.id));
      const unattached = (await loadUnattached(manager, [...services], [...keys])).filter((event) => !freshIds.has(event.id));
      for (const state of await loadCandidateIncidents(manager, [...fresh, ...unattached], options.marginMinutes)) known.set(state.id, state);
      const plan = planCorrelation(known.values(), fresh, unattached, options);
      const before = services.size + keys.size;
      for (const [incidentId, events] of plan.attachments) {
        const service = known.get(incidentId)?.primaryService ?? orderEvents(events)[0]!.service;
        services.add(service);
        for (const event of events) if (event.incidentKey) keys.add(event.incidentKey);
        for (const key of known.get(incidentId)?.keys ?? []) keys.add(key);
      }
      if (services.size + keys.size > before) continue;
      await assignEvents(manager, plan.attachments);
      // One at a time: they share the transaction's single connection (concurrent queries on one pg client are deprecated).
      const states: IncidentState[] = [];
      for (const [id, events] of plan.attachments) states.push(await this.projectIncident(manager, known.get(id), id, events));
      await saveIncidents(manager, states);
      await enqueueTimeline(manager, plan.attachments);
      const attached = [...plan.attachments.values()].reduce((sum, events) => sum + events.length, 0);
      return { attached, opened: plan.opened.size };
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

async function countUnattached(manager: EntityManager): Promise<number> {
  const [{ total }] = await manager.query('SELECT count(*)::int AS total FROM events WHERE incident_id IS NULL');
  return total;
}
