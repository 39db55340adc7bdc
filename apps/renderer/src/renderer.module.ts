import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import {
  createKafka,
  createMetricsRegistry,
  databaseReadiness,
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
import { RENDERER_CONFIG, type RendererConfig } from './config.js';
import { TimelineConsumer } from './consumer/timeline-consumer.js';
import { DraftsController } from './drafts/drafts.controller.js';
import { RCA_TEMPLATE, RcaDrafts } from './drafts/rca-drafts.js';
import type { Template } from './rendering/index.js';
import { RendererMetrics } from './drafts/renderer-metrics.js';
import { RendererStore } from './store/renderer-store.js';
import { rendererOpenApi } from './openapi.js';
import { DATA_SOURCE, KAFKA, TOPICS } from './tokens.js';

@Injectable()
export class RendererLifecycle implements OnApplicationShutdown {
  constructor(
    private readonly consumer: TimelineConsumer,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
  ) {}

  start(): Promise<void> {
    return this.consumer.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer.stop();
    await this.dataSource.destroy().catch(() => undefined);
  }
}

@Module({})
export class RendererModule {
  static register(config: RendererConfig, dataSource: DataSource, rcaTemplate: Template): DynamicModule {
    return {
      module: RendererModule,
      controllers: [HealthController, MetricsController, OpenApiController, DraftsController],
      providers: [
        { provide: RENDERER_CONFIG, useValue: config },
        { provide: RCA_TEMPLATE, useValue: rcaTemplate },
        { provide: DATA_SOURCE, useValue: dataSource },
        { provide: KAFKA, useValue: createKafka('aftermath-renderer', config) },
        { provide: TOPICS, useValue: topicNames(config.KAFKA_TOPIC_PREFIX) },
        { provide: METRICS_REGISTRY, useValue: createMetricsRegistry('renderer') },
        { provide: READINESS_CHECKS, useFactory: (kafka: Kafka) => [kafkaReadiness(kafka), databaseReadiness(dataSource)], inject: [KAFKA] },
        { provide: APP_FILTER, useClass: ProblemFilter },
        openApiProvider(rendererOpenApi),
        RendererMetrics,
        RendererStore,
        RcaDrafts,
        TimelineConsumer,
        RendererLifecycle,
      ],
    };
  }
}
