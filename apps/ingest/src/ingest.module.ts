import { Module, type DynamicModule } from '@nestjs/common';
import { serviceBasics } from '@app/platform';
import { AdminAuthGuard } from './auth/admin-auth.guard.js';
import { IngestAuthGuard } from './auth/ingest-auth.guard.js';
import { INGEST_CONFIG, type IngestConfig } from './config.js';
import { EventsController } from './events/events.controller.js';
import { IngestMetrics } from './metrics/ingest-metrics.js';
import { ingestOpenApi } from './openapi.js';
import { EventPublisher } from './publishing/event-publisher.js';
import { slackParts } from './slack/slack-parts.js';
import { WEBHOOK_CONTROLLERS, WEBHOOK_PROVIDERS } from './webhooks/webhook-controllers.js';

@Module({})
export class IngestModule {
  static register(config: IngestConfig): DynamicModule {
    // kafkajs runs the client's reconnect retries inside each producer send; with the default budget
    // (8 retries, backoff up to 30 s) a request waited over a minute while the broker was away.
    // Short, capped retries answer 503 within seconds and reconnect within 1 s of the broker's return.
    const kafkaOverrides = { retry: { initialRetryTime: 100, retries: 5, maxRetryTime: 1_000 } };
    const basics = serviceBasics({ name: 'ingest', config, openApi: ingestOpenApi, kafkaOverrides });
    const slack = slackParts(config);
    return {
      module: IngestModule,
      controllers: [...basics.controllers, EventsController, ...WEBHOOK_CONTROLLERS, ...slack.controllers],
      providers: [
        ...basics.providers,
        { provide: INGEST_CONFIG, useValue: config },
        IngestMetrics,
        EventPublisher,
        IngestAuthGuard,
        AdminAuthGuard,
        ...slack.providers,
        ...WEBHOOK_PROVIDERS,
      ],
    };
  }
}
