import type { INestApplication } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { databaseReadiness, KAFKA, KafkaBatchTransport, PartitionProgress, TOPICS, type Topics } from '@app/platform';
import type { TimelineConfig } from '../config.js';
import { DATA_SOURCE } from '../tokens.js';
import { DEAD_LETTERS_PATTERN, RENDERER_DEAD_LETTERS_PATTERN } from './dead-letter-intake.controller.js';

/** The dead-letter topics the timeline stores, each with its consumer group's suffix. */
const INTAKES = {
  events: { role: 'deadLetters', pattern: DEAD_LETTERS_PATTERN, group: 'dead-letters' },
  renderer: { role: 'timelineDeadLetters', pattern: RENDERER_DEAD_LETTERS_PATTERN, group: 'renderer-dead-letters' },
} as const;

/**
 * A consumer of one dead-letter topic (DeadLetterIntakeController stores it), in a group of its own:
 * `incident-events.dlq.v1` (ingest's kept-aside bodies, the timeline's refused messages) or the renderer's
 * `incident-timeline.dlq.v1`. Storing a letter does not fail on its content (keepDeadLetters), so what is
 * retried is an outage; a letter is never sent back to a dead-letter topic.
 */
export function deadLettersTransport(app: INestApplication, config: TimelineConfig, intake: keyof typeof INTAKES): KafkaBatchTransport {
  const topics = app.get<Topics>(TOPICS);
  const { role, pattern, group } = INTAKES[intake];
  return new KafkaBatchTransport({
    kafka: app.get<Kafka>(KAFKA),
    consumer: { groupId: `${config.TIMELINE_CONSUMER_GROUP}.${group}`, sessionTimeout: 15_000, heartbeatInterval: 3_000, maxWaitTimeInMs: 200 },
    subscription: { topic: topics[role], pattern },
    deadLetterTopic: topics[role],
    progress: app.get(PartitionProgress),
    dependencies: [databaseReadiness(app.get<DataSource>(DATA_SOURCE))],
    classify: () => 'transient',
  });
}
