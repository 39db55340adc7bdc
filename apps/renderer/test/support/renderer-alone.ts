import type { Admin, Producer } from 'kafkajs';
import { createKafka, topicNames } from '@app/platform';
import { KAFKA_BROKERS, lazySql, testEnvironment } from '../../../../test/support/environment.js';
import { readDeadLetters, type DeadLetterReader } from '../../../../test/support/dead-letter-reader.js';
import { startStack, type RunningStack } from '../../../../test/support/stack.js';

export interface RendererAlone {
  topics: ReturnType<typeof topicNames>;
  database: ReturnType<typeof lazySql>;
  producer: Producer;
  admin: Admin;
  stack: RunningStack;
  /** incident-timeline.dlq.v1, read from its start. */
  dlq: DeadLetterReader;
}

/**
 * The renderer alone on a topic prefix and database of its own, fed by a test's own producer writing
 * incident-timeline.v1 as any Kafka client may; registers its start and clean-up with jest.
 */
export function rendererAlone(label: string): RendererAlone {
  const environment = testEnvironment(label);
  const topics = topicNames(environment.topicPrefix);
  const group = `renderer-${environment.name}`;
  const kafka = createKafka(`test-${environment.name}`, [KAFKA_BROKERS]);
  const kit = { topics, database: lazySql(environment.databaseUrl) } as RendererAlone;

  beforeAll(async () => {
    kit.producer = kafka.producer({ allowAutoTopicCreation: false });
    kit.admin = kafka.admin();
    await Promise.all([kit.producer.connect(), kit.admin.connect()]);
    kit.stack = await startStack(environment, ['renderer'], { RENDERER_CONSUMER_GROUP: group, LOG_LEVEL: 'warn' });
    kit.dlq = await readDeadLetters(kafka, topics.timelineDeadLetters, `${group}-dlq-reader`);
  }, 60_000);

  afterAll(async () => {
    await kit.dlq?.close();
    await kit.stack?.close();
    await kit.database.end();
    await kit.admin?.deleteGroups([group, `${group}-dlq-reader`]).catch(() => undefined);
    await kit.admin?.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
    await kit.producer?.disconnect().catch(() => undefined);
    await kit.admin?.disconnect().catch(() => undefined);
    await environment.dropDatabase();
  }, 30_000);

  return kit;
}
