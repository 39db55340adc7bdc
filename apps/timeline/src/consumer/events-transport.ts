import type { INestApplication } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { databaseReadiness, KAFKA, KafkaBatchTransport, PartitionProgress, TOPICS, type Topics } from '@app/platform';
import type { TimelineConfig } from '../config.js';
import { TimelineMetrics } from '../metrics/timeline-metrics.js';
import { DATA_SOURCE } from '../tokens.js';
import { EVENTS_PATTERN } from './events.controller.js';

/** Every partition this instance owns can have a batch waiting for the next group commit. */
const PARTITIONS_CONCURRENTLY = 6;

/** The timeline's consumer of `incident-events.v1` as a Nest microservice transport (EventsController handles it). */
export function eventsTransport(app: INestApplication, config: TimelineConfig): KafkaBatchTransport {
  const topics = app.get<Topics>(TOPICS);
  const metrics = app.get(TimelineMetrics);
  return new KafkaBatchTransport({
    kafka: app.get<Kafka>(KAFKA),
    consumer: {
      groupId: config.TIMELINE_CONSUMER_GROUP,
      // A crashed instance's partitions wait this long for a new owner; heartbeats continue during retries.
      sessionTimeout: 15_000,
      heartbeatInterval: 3_000,
      // About a thousand events per partition batch: big enough to amortise a transaction, small enough to keep memory low.
      maxBytesPerPartition: 512 * 1024,
      maxWaitTimeInMs: 100,
    },
    subscription: { topic: topics.events, pattern: EVENTS_PATTERN },
    deadLetterTopic: topics.deadLetters,
    partitionsConcurrently: PARTITIONS_CONCURRENTLY,
    progress: app.get(PartitionProgress),
    dependencies: [databaseReadiness(app.get<DataSource>(DATA_SOURCE))],
    observer: {
      retrying: () => metrics.batchRetries.inc(),
      committed: (partition, outcome) => metrics.recordBatch(partition, outcome.deadLetters, String(outcome.lag)),
      rebalanced: () => metrics.forgetLag(),
    },
  });
}
