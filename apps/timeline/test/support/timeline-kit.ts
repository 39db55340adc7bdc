import type { Admin, Kafka, Message, Producer } from 'kafkajs';
import { createKafka, topicNames, type Topics } from '@app/platform';
import { KAFKA_BROKERS, lazySql, waitFor, type TestEnvironment } from '../../../../test/support/environment.js';
import { runningStack, type RunningStack } from '../../../../test/support/stack.js';

export { metric, sleep } from '../../../../test/support/probes.js';

/** Envelopes as a producer sends them (plain JSON values). */
export type Envelope = Record<string, unknown> & { id: string; service: string; occurredAt: string };

/**
 * What every timeline integration suite needs around a running timeline: a producer and an admin on
 * the real broker, the suite's own consumer group (so suites never share one), and SQL on its database.
 */
export interface TimelineKit {
  topics: Topics;
  group: string;
  kafka: Kafka;
  producer: Producer;
  admin: Admin;
  /** Extra env for startStack / a child process: the suite's own consumer group, quiet logs. */
  serviceEnv: Record<string, string>;
  /** Connects to the suite's database (created by the timeline at start-up). */
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export async function openKit(environment: TestEnvironment): Promise<TimelineKit> {
  const topics = topicNames(environment.topicPrefix);
  const group = `timeline-${environment.name}`;
  const kafka = createKafka(`test-${environment.name}`, [KAFKA_BROKERS]);
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  const admin = kafka.admin();
  await Promise.all([producer.connect(), admin.connect()]);
  const database = lazySql(environment.databaseUrl);
  return {
    topics,
    group,
    kafka,
    producer,
    admin,
    serviceEnv: { TIMELINE_CONSUMER_GROUP: group, LOG_LEVEL: 'warn' },
    sql: database.sql,
    async close() {
      await database.end();
      // The timeline's dead-letter intakes consume in groups of their own (dead-letters-transport.ts).
      await admin.deleteGroups([group, `${group}.dead-letters`, `${group}.renderer-dead-letters`]).catch(() => undefined);
      await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
      await producer.disconnect().catch(() => undefined);
      await admin.disconnect().catch(() => undefined);
    },
  };
}

/**
 * A timeline on the suite's own topics, consumer group and database (with `extraEnv`): started before the
 * suite's tests, and removed with its topics and database after them. Read `kit` and `stack` inside tests;
 * a suite's afterAll declared before this call runs while both are still there.
 */
export function runningTimeline(environment: TestEnvironment, extraEnv: Record<string, string> = {}): { kit: TimelineKit; stack: RunningStack } {
  const suite = {} as { kit: TimelineKit; stack: RunningStack };
  beforeAll(async () => {
    suite.kit = await openKit(environment);
  }, 60_000);
  suite.stack = runningStack(environment, ['timeline'], () => ({ ...suite.kit.serviceEnv, ...extraEnv }));
  afterAll(() => suite.kit?.close(), 30_000);
  return suite;
}

/** Sends envelopes as JSON, keyed by service unless told otherwise; waits for all in-sync replicas. */
export async function publish(
  kit: TimelineKit,
  events: readonly Envelope[],
  options: { key?: (event: Envelope) => string; partition?: (event: Envelope, index: number) => number | undefined } = {},
): Promise<void> {
  if (events.length === 0) return;
  const messages: Message[] = events.map((event, index) => ({
    key: options.key ? options.key(event) : event.service,
    value: JSON.stringify(event),
    partition: options.partition?.(event, index),
  }));
  await kit.producer.send({ topic: kit.topics.events, acks: -1, messages });
}

export async function publishRaw(kit: TimelineKit, messages: Message[]): Promise<void> {
  await kit.producer.send({ topic: kit.topics.events, acks: -1, messages });
}

/** Waits until the suite's consumer group has committed every partition of the events topic to its end. */
export async function waitUntilConsumed(kit: TimelineKit, timeoutMs = 30_000): Promise<void> {
  await waitFor(
    async () => {
      const [ends, [committed]] = await Promise.all([
        kit.admin.fetchTopicOffsets(kit.topics.events),
        kit.admin.fetchOffsets({ groupId: kit.group, topics: [kit.topics.events] }),
      ]);
      const at = new Map(committed!.partitions.map((p) => [p.partition, BigInt(p.offset)]));
      return ends.every((end) => BigInt(end.high) === BigInt(end.low) || (at.get(end.partition) ?? -1n) >= BigInt(end.high));
    },
    `consumer group ${kit.group} to commit the end of ${kit.topics.events}`,
    timeoutMs,
  );
}

/** How many messages `topic` holds: the suites' topics are never compacted or trimmed, so from its start to its end. */
export async function messagesOn(kit: TimelineKit, topic: string): Promise<number> {
  const offsets = await kit.admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, partition) => sum + Number(partition.high) - Number(partition.low), 0);
}

export async function getJson<T = any>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  const text = await response.text();
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

export async function storedEventCount(kit: TimelineKit): Promise<number> {
  const [row] = await kit.sql<{ total: number }>('SELECT count(*)::int AS total FROM events');
  return row!.total;
}

/** A small seeded PRNG (mulberry32): shuffles and duplicates are random but reproducible. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: readonly T[], next: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(next() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Every incident id in the projection, with its state. */
export async function allIncidents(baseUrl: string): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: any[]; nextCursor: string | null } = await getJson(`${baseUrl}/v1/incidents?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}
