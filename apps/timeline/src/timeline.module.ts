import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { READ_TOKENS, ReadAccessGuard, serviceBasics } from '@app/platform';
import { AnalyticsController } from './analytics/analytics.controller.js';
import { AnalyticsQueries } from './analytics/analytics-queries.js';
import { TIMELINE_CONFIG, type TimelineConfig } from './config.js';
import { BatchProcessor } from './consumer/batch-processor.js';
import { EventsController } from './consumer/events.controller.js';
import { DeadLetterIntakeController } from './dead-letters/dead-letter-intake.controller.js';
import { DeadLetterStore } from './dead-letters/dead-letter-store.js';
import { DeadLetterMetrics } from './dead-letters/dead-letter-metrics.js';
import { DeadLetterReadGuard, DeadLettersController } from './dead-letters/dead-letters.controller.js';
import { RendererLetterReplay } from './dead-letters/renderer-letter-replay.js';
import { EventLookup } from './lookup/event-lookup.js';
import { EventLookupController } from './lookup/event-lookup.controller.js';
import { IncidentQueries } from './incidents/incident-queries.js';
import { IncidentsController } from './incidents/incidents.controller.js';
import { TimelineMetrics } from './metrics/timeline-metrics.js';
import { OutboxRelay } from './outbox/outbox-relay.js';
import { AdminController } from './rebuild/admin.controller.js';
import { timelineOpenApi } from './openapi.js';
import { DATA_SOURCE } from './tokens.js';

/**
 * Stops in dependency order: Nest closes the events transport first (no more batches), then this stops
 * the outbox, then the database.
 */
@Injectable()
export class TimelineLifecycle implements OnApplicationShutdown {
  constructor(
    private readonly outbox: OutboxRelay,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
  ) {}

  async start(): Promise<void> {
    await this.outbox.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.outbox.stop();
    await this.dataSource.destroy().catch(() => undefined);
  }
}

@Module({})
export class TimelineModule {
  static register(config: TimelineConfig, dataSource: DataSource): DynamicModule {
    const basics = serviceBasics({ name: 'timeline', config, openApi: timelineOpenApi, dataSource, consumerStallSeconds: config.CONSUMER_STALL_SECONDS });
    return {
      module: TimelineModule,
      controllers: [...basics.controllers, IncidentsController, AdminController, EventsController, AnalyticsController, DeadLettersController, DeadLetterIntakeController, EventLookupController],
      providers: [
        ...basics.providers,
        { provide: TIMELINE_CONFIG, useValue: config },
        { provide: READ_TOKENS, useValue: config.READ_TOKENS },
        ReadAccessGuard,
        { provide: DATA_SOURCE, useValue: dataSource },
        TimelineMetrics,
        BatchProcessor,
        OutboxRelay,
        IncidentQueries,
        AnalyticsQueries,
        DeadLetterStore,
        DeadLetterMetrics,
        DeadLetterReadGuard,
        RendererLetterReplay,
        EventLookup,
        TimelineLifecycle,
      ],
    };
  }
}
