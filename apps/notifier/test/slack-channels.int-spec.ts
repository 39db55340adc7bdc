import type { Producer } from 'kafkajs';
import { channelLinksTopic, createKafka, ensureChannelLinksTopic, topicNames } from '@app/platform';
import { KAFKA_BROKERS, lazySql, testEnvironment, waitFor } from '../../../test/support/environment.js';
import { slackStandIn, SLACK_TEST_TOKEN } from '../../../test/support/outbound-receivers.js';
import { startStack, type RunningStack } from '../../../test/support/stack.js';

const slack = slackStandIn();
const environment = testEnvironment('notifier_slack');
const topics = topicNames(environment.topicPrefix);
const kafka = createKafka(`test-${environment.name}`, [KAFKA_BROKERS]);
const database = lazySql(environment.databaseUrl);
let producer: Producer;
let stack: RunningStack;
let sequence = 0;

beforeAll(async () => {
  await slack.start();
  await ensureChannelLinksTopic(kafka, channelLinksTopic(environment.topicPrefix));
  producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  stack = await startStack(environment, ['notifier'], { LOG_LEVEL: 'error', SLACK_BOT_TOKEN: SLACK_TEST_TOKEN, SLACK_API_URL: slack.url, SLACK_INCIDENTS_CHANNEL: 'C0INCIDENTS' });
}, 60_000);

afterAll(async () => {
  await producer?.disconnect();
  await stack?.close();
  await database.end();
  await slack.stop();
  await environment.dropDatabase();
}, 30_000);

const event = (id: string, incidentKey: string, type: string, data: Record<string, unknown>, minute: number) => ({
  id, type, occurredAt: new Date(Date.UTC(2025, 6, 1, 9, minute)).toISOString(), source: 'api', service: 'payments', incidentKey, data,
});

const place = (incidentId: string, events: Record<string, unknown>[]) =>
  producer.send({ topic: topics.timeline, acks: -1, messages: events.map((e) => ({ key: incidentId, value: JSON.stringify({ ...e, incidentId, sequence: (sequence += 1) }) })) });

test('an incident linked to a channel gets its one message there, another in SLACK_INCIDENTS_CHANNEL; later changes update them', async () => {
  // As ingest records `/incident link PAY-9` in channel C0LINKED (slack-channel-links.v1, keyed team/channel).
  const link = { teamId: 'T0001', channelId: 'C0LINKED', channelName: 'inc-payments', incidentRef: 'PAY-9', service: 'payments', linkedBy: 'slack:ana', linkedAt: '2025-07-01T08:59:00Z' };
  await producer.send({ topic: channelLinksTopic(environment.topicPrefix), acks: -1, messages: [{ key: 'T0001/C0LINKED', value: JSON.stringify(link) }] });
  await waitFor(async () => (await database.sql('SELECT 1 FROM notifier_slack_links')).length === 1, 'the link read by the notifier');

  await place('inc-linked', [event('l1', 'PAY-9', 'incident.declared', { title: 'Card payments failing', severity: 'P1' }, 0)]);
  await place('inc-free', [event('f1', 'OPS-3', 'incident.declared', { title: 'Disk filling' }, 1)]);
  await waitFor(async () => slack.messages.size === 2, 'two messages');
  await place('inc-linked', [event('l2', 'PAY-9', 'status.changed', { status: 'resolved' }, 20)]);
  await waitFor(async () => [...slack.messages.values()].some((m) => m.text.includes('Card payments failing: resolved')), 'the linked message updated');

  const byChannel = new Map([...slack.messages.values()].map((m) => [m.channel, m.text]));
  expect(byChannel).toEqual(
    new Map([
      ['C0LINKED', '[P1] Card payments failing: resolved (payments)'],
      ['C0INCIDENTS', 'Disk filling: triggered (payments)'],
    ]),
  );
  const posts = slack.calls.filter((c) => c.method === 'chat.postMessage');
  expect(posts.map((c) => c.args.channel).sort()).toEqual(['C0INCIDENTS', 'C0LINKED']);
  expect(slack.calls.filter((c) => c.method === 'chat.update').every((c) => c.args.channel === 'C0LINKED')).toBe(true);
});
