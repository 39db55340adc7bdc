import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import {
  createKafka,
  createMetricsRegistry,
  HealthController,
  kafkaReadiness,
  METRICS_REGISTRY,
  MetricsController,
  OpenApiController,
  openApiProvider,
  ProblemFilter,
  READINESS_CHECKS,
  topicNames,
} from '@app/platform';
import type { Kafka } from 'kafkajs';
import { IngestAuthGuard } from './auth/ingest-auth.guard.js';
import { INGEST_CONFIG, type IngestConfig } from './config.js';
import { EventsController } from './events/events.controller.js';
import { IngestMetrics } from './metrics/ingest-metrics.js';
import { ingestOpenApi } from './openapi.js';

import { EventPublisher, KAFKA, TOPICS } from './publishing/event-publisher.js';
import { WEBHOOK_CONTROLLERS } from './webhooks/webhook-controllers.js';

@Module({})
export class IngestModule {
  static register(config: IngestConfig): DynamicModule {
    return {
      module: IngestModule,
      controllers: [HealthController, MetricsController, OpenApiController, EventsController, ...WEBHOOK_CONTROLLERS],
      providers: [
        { provide: INGEST_CONFIG, useValue: config },
        // kafkajs runs the client's reconnect retries inside each producer send; with the default budget
        // (8 retries, backoff up to 30 s) a request waited over a minute while the broker was away.
        // Short, capped retries answer 503 within seconds and reconnect within 1 s of the broker's return.
        { provide: KAFKA, useValue: createKafka('aftermath-ingest', config, { retry: { initialRetryTime: 100, retries: 5, maxRetryTime: 1_000 } }) },
        { provide: TOPICS, useValue: topicNames(config.KAFKA_TOPIC_PREFIX) },
        { provide: READINESS_CHECKS, useFactory: (kafka: Kafka) => [kafkaReadiness(kafka)], inject: [KAFKA] },
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: METRICS_REGISTRY, useValue: createMetricsRegistry('ingest') },
        IngestMetrics,
        openApiProvider(ingestOpenApi),
        EventPublisher,
        IngestAuthGuard,
      ],
    };
  }
}
