import type { INestApplication } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { databaseReadiness, KAFKA, KafkaBatchTransport, PartitionProgress, TOPICS, type Topics } from '@app/platform';
import type { TimelineConfig } from '../config.js';
import { DATA_SOURCE } from '../tokens.js';
import { DEAD_LETTERS_PATTERN } from './dead-letter-intake.controller.js';

/**
 * The timeline's consumer of `incident-events.dlq.v1` (DeadLetterIntakeController stores it), in a group of
 * its own. Storing a letter cannot refuse it (text is cleaned of what PostgreSQL cannot hold, the body is
 * bytes), so only transient failures occur and are retried; a letter is never sent back to its own topic.
 */
export function deadLettersTransport(app: INestApplication, config: TimelineConfig): KafkaBatchTransport {
  const topics = app.get<Topics>(TOPICS);
  return new KafkaBatchTransport({
    kafka: app.get<Kafka>(KAFKA),
    consumer: { groupId: `${config.TIMELINE_CONSUMER_GROUP}.dead-letters`, sessionTimeout: 15_000, heartbeatInterval: 3_000, maxWaitTimeInMs: 200 },
    subscription: { topic: topics.deadLetters, pattern: DEAD_LETTERS_PATTERN },
    deadLetterTopic: topics.deadLetters,
    progress: app.get(PartitionProgress),
    dependencies: [databaseReadiness(app.get<DataSource>(DATA_SOURCE))],
    classify: () => 'transient',
  });
}
