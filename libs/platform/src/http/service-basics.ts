import type { Provider, Type } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { Kafka, KafkaConfig } from 'kafkajs';
import type { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { databaseReadiness, kafkaReadiness } from '../health/checks.js';
import { HealthController, READINESS_CHECKS } from '../health/health.controller.js';
import { createKafka, type KafkaConnection } from '../kafka/kafka-client.js';
import { topicNames } from '../kafka/topics.js';
import { PartitionProgress } from '../kafka-batches/partition-progress.js';
import { createMetricsRegistry, METRICS_REGISTRY, MetricsController } from '../metrics/metrics.controller.js';
import { OpenApiController, openApiProvider } from '../openapi/openapi.controller.js';
import type { OpenApiSpec } from '../openapi/openapi-document.js';
import { ProblemFilter } from '../problems/problem.filter.js';

/** The service's kafkajs client and its topic names (INTERFACES.md, behind KAFKA_TOPIC_PREFIX). */
export const KAFKA = Symbol('KAFKA');
export const TOPICS = Symbol('TOPICS');

export interface ServiceBasicsOptions {
  /** ingest, timeline or renderer: the Kafka client id and the metrics' `service` label. */
  name: string;
  config: KafkaConnection & { KAFKA_TOPIC_PREFIX: string };
  openApi: () => OpenApiSpec;
  /** Its connection joins the readiness checks; services without a database leave it out. */
  dataSource?: DataSource;
  kafkaOverrides?: Partial<KafkaConfig>;
  /**
   * Services that consume Kafka: readiness fails, and the stalled-partition gauge shows it, when a
   * partition's batch has been retried longer than this (CONSUMER_STALL_SECONDS).
   */
  consumerStallSeconds?: number;
}

/**
 * What every Aftermath service has: health, metrics and OpenAPI endpoints, problem+json errors,
 * a Kafka client and the topic names, readiness on Kafka (and the database, when it has one).
 */
export function serviceBasics(options: ServiceBasicsOptions): { controllers: Type[]; providers: Provider[] } {
  const { name, config, dataSource, consumerStallSeconds } = options;
  const consumes = consumerStallSeconds !== undefined;
  return {
    controllers: [HealthController, MetricsController, OpenApiController],
    providers: [
      { provide: KAFKA, useValue: createKafka(`aftermath-${name}`, config, options.kafkaOverrides) },
      { provide: TOPICS, useValue: topicNames(config.KAFKA_TOPIC_PREFIX) },
      { provide: METRICS_REGISTRY, useValue: createMetricsRegistry(name) },
      ...(consumes ? [{ provide: PartitionProgress, useFactory: (registry: Registry) => new PartitionProgress(registry, consumerStallSeconds), inject: [METRICS_REGISTRY] }] : []),
      {
        provide: READINESS_CHECKS,
        useFactory: (kafka: Kafka, progress?: PartitionProgress) => [
          kafkaReadiness(kafka),
          ...(dataSource ? [databaseReadiness(dataSource)] : []),
          ...(progress ? [progress.readiness()] : []),
        ],
        inject: consumes ? [KAFKA, PartitionProgress] : [KAFKA],
      },
      { provide: APP_FILTER, useClass: ProblemFilter },
      openApiProvider(options.openApi),
    ],
  };
}
