import { Logger } from '@nestjs/common';
import { Kafka, logLevel, type Admin, type KafkaConfig, type logCreator } from 'kafkajs';
import { TOPIC_PARTITIONS, topicNames, type Topics } from './topics.js';

// kafkajs prints a warning about its v2 default partitioner on every producer; the default is what we want.
process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

/**
 * Messages kafkajs logs at WARN/ERROR for conditions it retries itself, or that our design accepts:
 * idempotent producers with bounded retries (the event store deduplicates by event id anyway).
 */
const EXPECTED_NOISE = [
  'Limiting retries for the idempotent producer',
  'The coordinator is loading',
  'The group coordinator is not available',
  'This is not the correct coordinator',
];

const nestLogCreator: logCreator = () => {
  const logger = new Logger('kafkajs');
  return ({ level, log }) => {
    const { message, error } = log as { message: string; error?: string };
    if (EXPECTED_NOISE.some((noise) => message.includes(noise) || error?.includes(noise))) return;
    const text = error ? `${message}: ${error}` : message;
    if (level === logLevel.ERROR) logger.error(text);
    else if (level === logLevel.WARN) logger.warn(text);
  };
};

export function createKafka(clientId: string, brokers: string[], overrides: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId,
    brokers,
    logLevel: logLevel.WARN,
    logCreator: nestLogCreator,
    retry: { initialRetryTime: 200, retries: 8 },
    ...overrides,
  });
}

/**
 * Creates the topics explicitly: brokers should run with auto-creation off, so a typo in a topic name
 * fails instead of silently creating a new, unread topic.
 */
export async function ensureTopics(kafka: Kafka, prefix = ''): Promise<Topics> {
  const names = topicNames(prefix);
  const admin: Admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = (Object.keys(names) as (keyof Topics)[])
      .filter((role) => !existing.has(names[role]))
      .map((role) => ({ topic: names[role], numPartitions: TOPIC_PARTITIONS[role], replicationFactor: -1 }));
    if (missing.length > 0) {
      // replicationFactor -1 takes the broker default, so one config serves a dev broker and a cluster.
      await admin.createTopics({ topics: missing, waitForLeaders: true });
    }
    return names;
  } finally {
    await admin.disconnect();
  }
}
