import { readFileSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { Kafka, logLevel, type Admin, type KafkaConfig, type logCreator, type SASLOptions } from 'kafkajs';
import type { KafkaSecurityConfig } from '../config/load-config.js';
import { useKafkaCodecs } from '../kafka-codecs/register-codecs.js';
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
  'The group is rebalancing',
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

/** Where the brokers are and how to reach them: the KAFKA_* settings of commonEnv. */
export type KafkaConnection = { KAFKA_BROKERS: string[] } & Partial<KafkaSecurityConfig>;

/** kafkajs `ssl` and `sasl` from KAFKA_SSL* and KAFKA_SASL_* (validated by loadConfig). */
export function kafkaSecurity(connection: Partial<KafkaSecurityConfig>): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const security: Pick<KafkaConfig, 'ssl' | 'sasl'> = {};
  if (connection.KAFKA_SSL) {
    const { KAFKA_SSL_CA_FILE: ca, KAFKA_SSL_CERT_FILE: cert, KAFKA_SSL_KEY_FILE: key } = connection;
    security.ssl =
      ca || cert || key
        ? {
            ...(ca ? { ca: [readFileSync(ca, 'utf8')] } : {}),
            ...(cert ? { cert: readFileSync(cert, 'utf8') } : {}),
            ...(key ? { key: readFileSync(key, 'utf8') } : {}),
          }
        : true;
  }
  if (connection.KAFKA_SASL_MECHANISM && connection.KAFKA_SASL_USERNAME && connection.KAFKA_SASL_PASSWORD) {
    security.sasl = {
      mechanism: connection.KAFKA_SASL_MECHANISM,
      username: connection.KAFKA_SASL_USERNAME,
      password: connection.KAFKA_SASL_PASSWORD,
    } as SASLOptions;
  }
  return security;
}

const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
const DEAD_LETTER_MAX_MESSAGE_BYTES = MAX_MESSAGE_BYTES + 256 * 1024;

/** A kafkajs client; pass the service config (or just a broker list) as `connection`. */
export function createKafka(clientId: string, connection: string[] | KafkaConnection, overrides: Partial<KafkaConfig> = {}): Kafka {
  useKafkaCodecs();
  const settings: KafkaConnection = Array.isArray(connection) ? { KAFKA_BROKERS: connection } : connection;
  return new Kafka({
    clientId,
    brokers: settings.KAFKA_BROKERS,
    ...kafkaSecurity(settings),
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
    for (let attempt = 1; ; attempt += 1) {
      try {
        await createMissingTopics(admin, names);
        // Metadata for every topic, leaders included: producers and consumers can start right after.
        await admin.fetchTopicMetadata({ topics: Object.values(names) });
        return names;
      } catch (error) {
        // A fresh or busy broker may answer "unknown topic" for a moment after creating it.
        if (attempt >= TOPIC_ATTEMPTS || !isRetriable(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
      }
    }
  } finally {
    await admin.disconnect();
  }
}

const TOPIC_ATTEMPTS = 8;

interface KafkaJsError {
  retriable?: boolean;
  originalError?: KafkaJsError;
  cause?: KafkaJsError;
}

/** kafkajs marks transient protocol errors retriable, also when wrapped by its own retrier. */
function isRetriable(error: unknown): boolean {
  const e = error as KafkaJsError | undefined;
  return e?.retriable === true || e?.originalError?.retriable === true || e?.cause?.retriable === true;
}

async function createMissingTopics(admin: Admin, names: Topics): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = (Object.keys(names) as (keyof Topics)[])
    .filter((role) => !existing.has(names[role]))
    .map((role) => ({
      topic: names[role],
      numPartitions: TOPIC_PARTITIONS[role],
      replicationFactor: -1,
      // An accepted event is up to 1 MiB of JSON; the timeline adds its incident id. A dead letter is a
      // source message plus headers (up to 8 KiB of reason): its topic takes a little more than the source.
      configEntries: [{ name: 'max.message.bytes', value: String(role === 'deadLetters' || role === 'timelineDeadLetters' ? DEAD_LETTER_MAX_MESSAGE_BYTES : MAX_MESSAGE_BYTES) }],
    }));
  // replicationFactor -1 takes the broker default, so one config serves a dev broker and a cluster.
  if (missing.length > 0) await admin.createTopics({ topics: missing, waitForLeaders: true });
}
