import { Inject, Injectable, Logger } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { ADVISORY_LOCKS } from '@app/platform';
import { correlationKeysOf, correlationSettingsOf, planCorrelation, type CorrelationPlan, type CorrelationSettings, type IncidentEvent } from '@app/domain';
import { TIMELINE_CONFIG, type TimelineConfig } from '../config.js';
import { classifyBatch, insertEvents, type FreshEvent, type IncomingEvent } from '../event-store/append-events.js';
import { DATA_SOURCE } from '../tokens.js';
import type { BatchReport } from './batch-report.js';
import { applyPlan } from './apply-plan.js';
import { continueFromSnapshots } from './continue-from-snapshots.js';
import { CorrelationContext } from './correlation-context.js';

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
      const report: BatchReport = { stored: batch.fresh.length, duplicates: batch.duplicates, conflicts: batch.conflicts.length, attached: 0, opened: 0, correlatedFrom: null };
      if (batch.fresh.length === 0) return report;
      return { ...report, ...(await this.correlateAndStore(manager, batch.fresh)) };
    });
  }

  private async correlateAndStore(manager: EntityManager, incoming: FreshEvent[]): Promise<Pick<BatchReport, 'attached' | 'opened' | 'correlatedFrom'>> {
    const continued = await continueFromSnapshots(manager, incoming, this.settings);
    if (continued !== null) return { ...continued, correlatedFrom: 'snapshots' };
    const fresh = incoming.map((item) => item.event);
    const plan = await planInStableContext(manager, fresh, this.settings);
    return { ...(await persistPlan(manager, incoming, plan)), correlatedFrom: 'events' };
  }
}

/** Loads the correlation context, plans, and widens the context until the plan reaches nothing new (a test passes its own context, to see what it loaded). */
export async function planInStableContext(
  manager: EntityManager,
  fresh: IncidentEvent[],
  settings: CorrelationSettings,
  context = new CorrelationContext(fresh, settings, (event) => correlationKeysOf(event, settings)),
): Promise<CorrelationPlan> {
  let plan: CorrelationPlan | null = null;
  for (;;) {
    // Nothing new loaded: the plan would be the same one.
    if (!(await context.load(manager)) && plan) return plan;
    plan = planCorrelation(context.stored(), fresh, settings);
    if (!context.widen(plan)) return plan;
  }
}

/** Appends the fresh events already placed, then makes the stored correlation the plan's. */
async function persistPlan(manager: EntityManager, incoming: FreshEvent[], plan: CorrelationPlan): Promise<Pick<BatchReport, 'attached' | 'opened'>> {
  await insertEvents(manager, incoming, plan.freshPlacement);
  await applyPlan(manager, plan);
  let attached = 0;
  for (const events of plan.added.values()) attached += events.length;
  return { attached, opened: plan.opened.length };
}
