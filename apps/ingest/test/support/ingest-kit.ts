import { createHmac } from 'node:crypto';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import { createKafka, topicNames, type Topics } from '@app/platform';
import { KAFKA_BROKERS, lazySql, waitFor, type TestEnvironment } from '../../../../test/support/environment.js';
import { runningStack, type RunningStack, type ServiceName } from '../../../../test/support/stack.js';

export { metric } from '../../../../test/support/probes.js';

/*
 * What the ingest integration suites (and the hostile-inputs end-to-end suite) share: real HTTP
 * requests with the raw bytes under control, real webhook signatures, a reader of the suite's own
 * incident-events.v1 topic, and SQL on the suite's database. No mocks anywhere.
 */

export const TOKEN = 'ingest-test-token-1';
export const OTHER_TOKEN = 'ingest-test-token-2';
export const PAGERDUTY_SECRETS = ['pd-secret-current', 'pd-secret-next'];
export const GRAFANA_SECRET = 'grafana-hmac-secret';

export const bearer = (token = TOKEN) => ({ authorization: `Bearer ${token}` });
export const json = { 'content-type': 'application/json' };

export const pagerDutySignature = (body: string | Buffer, ...secrets: string[]) =>
  secrets.map((secret) => `v1=${createHmac('sha256', secret).update(body).digest('hex')}`).join(',');

export const grafanaSignature = (body: string | Buffer, secret = GRAFANA_SECRET) => createHmac('sha256', secret).update(body).digest('hex');

/** Ingest settings of the suites: tokens, both signing schemes, the suite's own consumer groups, quiet logs. */
export function ingestEnv(environment: TestEnvironment): Record<string, string> {
  return {
    LOG_LEVEL: 'error',
    INGEST_TOKENS: `${TOKEN},${OTHER_TOKEN}`,
    PAGERDUTY_WEBHOOK_SECRETS: PAGERDUTY_SECRETS.join(','),
    GRAFANA_WEBHOOK_SECRET: GRAFANA_SECRET,
    TIMELINE_CONSUMER_GROUP: `timeline-${environment.name}`,
    RENDERER_CONSUMER_GROUP: `renderer-${environment.name}`,
  };
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body when it is JSON (problem+json included), else undefined. */
  body: any;
  ms: number;
}

/** One request, body sent byte for byte as given; never throws on an HTTP status. */
export async function request(url: string, init: { method?: string; headers?: Record<string, string>; body?: string | Buffer | Uint8Array } = {}): Promise<Reply> {
  const started = performance.now();
  const response = await fetch(url, { method: init.method ?? (init.body === undefined ? 'GET' : 'POST'), headers: init.headers, body: init.body as RequestInit['body'] });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, text, body, ms: performance.now() - started };
}

/** POST with the bearer token and JSON content type unless overridden; a header given as undefined is left out. */
export const post = (url: string, body: string | Buffer | object, headers: Record<string, string | undefined> = {}) =>
  request(url, {
    method: 'POST',
    headers: Object.fromEntries(Object.entries({ ...json, ...bearer(), ...headers }).filter((entry): entry is [string, string] => entry[1] !== undefined)),
    body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });

/** The failing field paths of a 400 problem. */
export const errorPaths = (reply: Reply): string[] => ((reply.body?.errors ?? []) as { path: string }[]).map((issue) => issue.path);

export interface TopicMessage {
  key: string | null;
  value: any;
  partition: number;
  offset: string;
}

/** Reads the suite's incident-events.v1 from the beginning, with a consumer group of its own. */
export interface TopicReader {
  messages: TopicMessage[];
  /** Waits until messages carrying every one of `ids` were read. */
  waitForIds(ids: readonly string[], timeoutMs?: number): Promise<TopicMessage[]>;
  close(): Promise<void>;
}

export async function readEventsTopic(kafka: Kafka, topics: Topics, groupId: string): Promise<TopicReader> {
  const consumer: Consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
  const messages: TopicMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic: topics.events, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      let value: unknown = message.value?.toString('utf8');
      try {
        value = JSON.parse(value as string);
      } catch {
        /* kept as text */
      }
      messages.push({ key: message.key?.toString('utf8') ?? null, value, partition, offset: message.offset });
    },
  });
  return {
    messages,
    async waitForIds(ids, timeoutMs = 30_000) {
      return waitFor(
        async () => {
          const found = ids.map((id) => messages.find((message) => message.value?.id === id));
          return found.every(Boolean) ? (found as TopicMessage[]) : null;
        },
        `events ${ids.join(', ')} on ${topics.events}`,
        timeoutMs,
      );
    },
    async close() {
      await consumer.disconnect().catch(() => undefined);
    },
  };
}

/** Kafka and SQL around a running stack; `close` deletes the suite's topics and groups. */
export interface Infra {
  kafka: Kafka;
  admin: Admin;
  topics: Topics;
  groups: string[];
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Messages on the events topic: the sum of the partitions' high watermarks. */
  eventsOnTopic(): Promise<number>;
  /** Waits until the timeline's consumer group has committed the end of every events partition. */
  timelineCaughtUp(timeoutMs?: number): Promise<void>;
  /** Waits until `groupId` has committed the end of every partition of `topic`. */
  caughtUp(groupId: string, topic: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function openInfra(environment: TestEnvironment): Promise<Infra> {
  const kafka = createKafka(`test-${environment.name}`, [KAFKA_BROKERS]);
  const admin = kafka.admin();
  await admin.connect();
  const topics = topicNames(environment.topicPrefix);
  const timelineGroup = `timeline-${environment.name}`;
  // The timeline's dead-letter intakes have groups of their own (dead-letters-transport.ts).
  const groups = [timelineGroup, `${timelineGroup}.dead-letters`, `${timelineGroup}.renderer-dead-letters`, `renderer-${environment.name}`];
  const database = lazySql(environment.databaseUrl);
  const infra: Infra = {
    kafka,
    admin,
    topics,
    groups,
    sql: database.sql,
    async eventsOnTopic() {
      const offsets = await admin.fetchTopicOffsets(topics.events);
      return offsets.reduce((sum, partition) => sum + Number(partition.high) - Number(partition.low), 0);
    },
    async timelineCaughtUp(timeoutMs = 30_000) {
      await infra.caughtUp(timelineGroup, topics.events, timeoutMs);
    },
    async caughtUp(groupId, topic, timeoutMs = 30_000) {
      await waitFor(
        async () => {
          const [ends, [committed]] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
          const at = new Map(committed!.partitions.map((p) => [p.partition, BigInt(p.offset)]));
          return ends.every((end) => BigInt(end.high) === BigInt(end.low) || (at.get(end.partition) ?? -1n) >= BigInt(end.high));
        },
        `consumer group ${groupId} to consume the end of ${topic}`,
        timeoutMs,
      );
    },
    async close() {
      await database.end();
      await admin.deleteGroups(groups).catch(() => undefined);
      await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
      await admin.disconnect().catch(() => undefined);
    },
  };
  return infra;
}

export interface IngestSuite {
  stack: RunningStack;
  infra: Infra;
  /** Everything the suite's ingest put on its events topic, read by the suite's own consumer group. */
  reader: TopicReader;
}

/**
 * `services` on the suite's own topics and database with ingest's test configuration (ingestEnv), Kafka
 * and SQL around them, and a reader of the events topic: started before the suite's tests and removed,
 * with the topics, groups and database, after them. Read the fields inside tests; a suite's own
 * beforeAll, registered after this call, runs after it.
 */
export function runningIngest(environment: TestEnvironment, services: ServiceName[], extraEnv: Record<string, string> = {}): IngestSuite {
  const suite = { stack: runningStack(environment, services, { ...ingestEnv(environment), ...extraEnv }) } as IngestSuite;
  beforeAll(async () => {
    suite.infra = await openInfra(environment);
    const readerGroup = `reader-${environment.name}`;
    suite.infra.groups.push(readerGroup);
    suite.reader = await readEventsTopic(suite.infra.kafka, suite.infra.topics, readerGroup);
  }, 60_000);
  afterAll(async () => {
    await suite.reader?.close();
    await suite.infra?.close();
  }, 60_000);
  return suite;
}

