import { Inject, Injectable, Logger } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { ADVISORY_LOCKS } from '@app/platform';
import { correlationKeysOf, correlationSettingsOf, planCorrelation, project, type CorrelationPlan, type CorrelationSettings, type IncidentEvent } from '@app/domain';
import { TIMELINE_CONFIG, type TimelineConfig } from '../config.js';
import { classifyBatch, insertEvents, moveEvents, type FreshEvent, type IncomingEvent } from '../event-store/append-events.js';
import { retireIncidents, saveIncidents } from '../incidents/incident-store.js';
import { enqueueTimeline } from '../outbox/enqueue-timeline.js';
import { DATA_SOURCE } from '../tokens.js';
import type { BatchReport } from './batch-report.js';
import { CorrelationContext } from './correlation-context.js';
import { applyMerges } from './corrections-context.js';

@Injectable()
export class BatchProcessor {
  private readonly logger = new Logger('BatchProcessor');
  private readonly settings: CorrelationSettings;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(TIMELINE_CONFIG) config: TimelineConfig,
  ) {
    this.settings = correlationSettingsOf(config);
  }

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
    const plan = await planInStableContext(manager, fresh, this.settings);
    return persistPlan(manager, incoming, plan);
  }
}

/** Loads the correlation context, plans, and widens the context until the plan reaches nothing new. */
async function planInStableContext(manager: EntityManager, fresh: IncidentEvent[], settings: CorrelationSettings): Promise<CorrelationPlan> {
  const context = new CorrelationContext(fresh, settings, (event) => correlationKeysOf(event, settings));
  let plan: CorrelationPlan | null = null;
  for (;;) {
    // Nothing new loaded: the plan would be the same one.
    if (!(await context.load(manager)) && plan) return plan;
    plan = planCorrelation(context.stored(), fresh, settings);
    if (!context.widen(plan)) return plan;
  }
}

/**
 * Appends the fresh events already placed, moves the stored events whose incident changed, retires the
 * incidents joined into others, saves the changed incidents' projections and enqueues what each gained.
 */
async function persistPlan(manager: EntityManager, incoming: FreshEvent[], plan: CorrelationPlan): Promise<Pick<BatchReport, 'attached' | 'opened'>> {
  await insertEvents(manager, incoming, plan.freshPlacement);
  await moveEvents(manager, plan.moves);
  // A merged-away incident never stored gets its row first, as the alias it is.
  await saveIncidents(manager, [...plan.mergedAway.map((merge) => project(merge.id, merge.events)), ...plan.changed.map((incident) => project(incident.id, incident.events))]);
  await retireIncidents(manager, plan.retired);
  await enqueueTimeline(manager, plan.added);
  await applyMerges(manager, plan);
  let attached = 0;
  for (const events of plan.added.values()) attached += events.length;
  return { attached, opened: plan.opened.length };
}
