import type { INestApplication } from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { channelLinksTopic, databaseReadiness, KAFKA, KafkaBatchTransport, PartitionProgress, TOPICS, type Topics } from '@app/platform';
import type { NotifierConfig } from './config.js';
import { NotifierMetrics } from './deliveries/notifier-metrics.js';
import { DRAFTS_PATTERN } from './drafts/drafts.controller.js';
import { TIMELINE_PATTERN } from './incidents/timeline.controller.js';
import { SLACK_LINKS_PATTERN } from './slack/slack-links.controller.js';
import { DATA_SOURCE } from './tokens.js';

/**
 * The notifier's consumers, each a KafkaBatchTransport in a group of its own (`<group>`, `<group>.drafts`,
 * `<group>.slack-links`): incident-timeline.v1, rca-drafts.v1 and, with Slack on, slack-channel-links.v1.
 * They only write to PostgreSQL; the senders deliver from there.
 */
export function notifierTransports(app: INestApplication, config: NotifierConfig): KafkaBatchTransport[] {
  const topics = app.get<Topics>(TOPICS);
  const metrics = app.get(NotifierMetrics);
  const common = {
    kafka: app.get<Kafka>(KAFKA),
    progress: app.get(PartitionProgress),
    dependencies: [databaseReadiness(app.get<DataSource>(DATA_SOURCE))],
    observer: { retrying: () => metrics.batchRetries.inc() },
  };
  const transports = [
    new KafkaBatchTransport({
      ...common,
      consumer: { groupId: config.NOTIFIER_CONSUMER_GROUP, maxWaitTimeInMs: 250 },
      subscription: { topic: topics.timeline, pattern: TIMELINE_PATTERN },
      deadLetterTopic: topics.timelineDeadLetters,
    }),
    new KafkaBatchTransport({
      ...common,
      consumer: { groupId: `${config.NOTIFIER_CONSUMER_GROUP}.drafts`, maxWaitTimeInMs: 250 },
      subscription: { topic: topics.rcaDrafts, pattern: DRAFTS_PATTERN },
      deadLetterTopic: topics.timelineDeadLetters,
    }),
  ];
  if (config.SLACK_BOT_TOKEN) {
    transports.push(
      new KafkaBatchTransport({
        ...common,
        consumer: { groupId: `${config.NOTIFIER_CONSUMER_GROUP}.slack-links`, maxWaitTimeInMs: 250 },
        subscription: { topic: channelLinksTopic(config.KAFKA_TOPIC_PREFIX), pattern: SLACK_LINKS_PATTERN },
        deadLetterTopic: topics.timelineDeadLetters,
      }),
    );
  }
  return transports;
}
