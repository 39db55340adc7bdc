import type { INestApplication } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { databaseReadiness, KAFKA, KafkaBatchTransport, PartitionProgress, TOPICS, type Topics } from '@app/platform';
import type { RendererConfig } from '../config.js';
import { RendererMetrics } from '../drafts/renderer-metrics.js';
import { DATA_SOURCE } from '../tokens.js';
import { TIMELINE_PATTERN } from './timeline.controller.js';

/** The renderer's consumer of `incident-timeline.v1` as a Nest microservice transport (TimelineController handles it). */
export function timelineTransport(app: INestApplication, config: RendererConfig): KafkaBatchTransport {
  const topics = app.get<Topics>(TOPICS);
  const metrics = app.get(RendererMetrics);
  return new KafkaBatchTransport({
    kafka: app.get<Kafka>(KAFKA),
    // Drafts are read by people, minutes after a resolution: the broker may hold a fetch up to 2 s until
    // 512 KiB are there, so that a busy pipeline hands over fewer, fuller batches, each incident touched
    // once per batch instead of once per event (figures: docs/benchmarks.md, "Renderer"). 256 KiB per
    // partition bounds what one transaction holds in memory.
    consumer: { groupId: config.RENDERER_CONSUMER_GROUP, maxWaitTimeInMs: 2000, minBytes: 512 * 1024, maxBytesPerPartition: 256 * 1024 },
    subscription: { topic: topics.timeline, pattern: TIMELINE_PATTERN },
    deadLetterTopic: topics.timelineDeadLetters,
    progress: app.get(PartitionProgress),
    dependencies: [databaseReadiness(app.get<DataSource>(DATA_SOURCE))],
    observer: {
      retrying: () => metrics.batchRetries.inc(),
      committed: (_partition, outcome) => metrics.deadLetters.inc(outcome.deadLetters),
    },
  });
}
