import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Producer } from 'kafkajs';
import { createKafka, topicNames } from '@app/platform';
import { KAFKA_BROKERS, testEnvironment, waitFor } from '../../../test/support/environment.js';
import { npmRun } from '../../../test/support/npm-run.js';
import { webhookReceiver, type ReceivedWebhook } from '../../../test/support/outbound-receivers.js';
import { sleep } from '../../../test/support/probes.js';
import { startStack, type RunningStack } from '../../../test/support/stack.js';
import { withHost } from '../../../test/support/with-host.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ALL = '[incident.opened, incident.updated, incident.resolved, incident.merged, rca.drafted]';
const ops = webhookReceiver(SECRET);
const gone = webhookReceiver(SECRET);
const slow = webhookReceiver(SECRET);
const environment = testEnvironment('notifier_alone');
const topics = topicNames(environment.topicPrefix);
const kafka = createKafka(`test-${environment.name}`, [KAFKA_BROKERS]);
let producer: Producer;
let stack: RunningStack;
let sequence = 0;

beforeAll(async () => {
  for (const receiver of [ops, gone, slow]) await receiver.start();
  gone.state.answer = 410;
  const file = join(tmpdir(), `${environment.name}.yaml`);
  writeFileSync(
    file,
    [
      `- {name: ops, url: "${ops.url}", secret: ${SECRET}, events: ${ALL}}`,
      `- {name: gone, url: "${gone.url}", secret: ${SECRET}, events: ${ALL}}`,
      `- {name: slow, url: "${slow.url}", secret: ${SECRET}, events: ${ALL}, services: [search]}`,
    ].join('\n'),
  );
  stack = await startStack(environment, ['notifier'], {
    LOG_LEVEL: 'error',
    OUTBOUND_WEBHOOKS_FILE: file,
    OUTBOUND_TIMEOUT_SECONDS: '1',
    OUTBOUND_RETRY_FIRST_SECONDS: '1',
    OUTBOUND_RETRY_MAX_SECONDS: '2',
  });
  producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
}, 60_000);

afterAll(async () => {
  await producer?.disconnect();
  await stack?.close();
  for (const receiver of [ops, gone, slow]) await receiver.stop();
  await environment.dropDatabase();
}, 30_000);

const event = (id: string, incidentKey: string, type: string, data: Record<string, unknown>, minute: number, service = 'payments') => ({
  id,
  type,
  occurredAt: new Date(Date.UTC(2025, 5, 1, 10, minute)).toISOString(),
  source: 'api',
  service,
  incidentKey,
  data,
});

/** Messages of incident-timeline.v1 as the timeline publishes them: the event, its incident, a growing sequence. */
async function place(incidentId: string, events: Record<string, unknown>[], extra: Record<string, unknown> = {}) {
  await producer.send({
    topic: topics.timeline,
    acks: -1,
    messages: events.map((e) => ({ key: incidentId, value: JSON.stringify({ ...e, incidentId, sequence: (sequence += 1), ...extra }) })),
  });
}

const told = (received: ReceivedWebhook[], incidentId: string) =>
  received.filter((r) => r.payload.data.incident.id === incidentId).map((r) => `${r.payload.type}${r.payload.type === 'rca.drafted' ? ` v${r.payload.data.draft!.version}` : ` ${r.payload.data.incident.status}`}`);

test('notices per incident in order; a draft announced before its resolution waits for it; 410 Gone ends a subscription and nothing else', async () => {
  await place('inc-pay', [event('p1', 'PAY-1', 'incident.declared', { title: 'Payments down', severity: 'P2' }, 0)]);
  await waitFor(async () => ops.received.length >= 1, 'the opening at ops');
  // The renderer's draft can come before the notifier read the resolution: it waits for it.
  await producer.send({
    topic: topics.rcaDrafts,
    acks: -1,
    messages: [{ key: 'inc-pay', value: JSON.stringify({ incidentId: 'inc-pay', version: 1, preparedOn: '2025-06-02', fileName: 'a.md', createdAt: '2025-06-02T09:00:00.000Z' }) }],
  });
  await place('inc-pay', [event('p2', 'PAY-1', 'status.changed', { status: 'investigating' }, 5)]);
  await sleep(1500);
  expect(told(ops.received, 'inc-pay')).toEqual(['incident.opened triggered', 'incident.updated investigating']);
  await place('inc-pay', [event('p3', 'PAY-1', 'status.changed', { status: 'resolved' }, 30), event('p4', 'PAY-1', 'note.added', { text: 'all good' }, 31)]);
  await waitFor(async () => ops.received.length >= 4, 'the resolution and the draft at ops');
  expect(told(ops.received, 'inc-pay')).toEqual(['incident.opened triggered', 'incident.updated investigating', 'incident.resolved resolved', 'rca.drafted v1']);

  // The subscription that answered 410 got one request, and is ended with what it had waiting.
  expect(gone.received).toHaveLength(1);
  const goneLog = (await (await fetch(`${stack.notifier}/v1/deliveries?subscription=gone`)).json()) as { items: { status: string; attempts: number; lastAnswer: unknown }[] };
  expect(goneLog.items.map((d) => d.status)).toEqual(goneLog.items.map(() => 'ended'));
  expect(goneLog.items[0]).toMatchObject({ attempts: 1, lastAnswer: { status: 410, error: null } });
  await place('inc-other', [event('o1', 'OTHER-1', 'incident.declared', { title: 'Other' }, 40)]);
  await waitFor(async () => told(ops.received, 'inc-other').length === 1, 'the next incident at ops');
  const after = (await (await fetch(`${stack.notifier}/v1/deliveries?subscription=gone&incident=inc-other`)).json()) as { items: unknown[] };
  expect(after.items).toEqual([]);
  expect(gone.received).toHaveLength(1);
});

test('a merge is announced for the incident merged away, which is silent after; the target goes on', async () => {
  await place('inc-a', [event('a1', 'A-1', 'incident.declared', { title: 'A' }, 0, 'search')]);
  await place('inc-b', [event('b1', 'B-1', 'incident.declared', { title: 'B' }, 1, 'search')]);
  await waitFor(async () => told(ops.received, 'inc-b').length === 1 && told(ops.received, 'inc-a').length === 1, 'both openings');
  // The timeline announces the merge on the target, then publishes the moved events under it.
  const merge = event('m1', 'A-1', 'incident.merged', { into: 'A-1' }, 2, 'search');
  await place('inc-a', [merge], { mergedFrom: 'inc-b' });
  await place('inc-a', [event('b1', 'B-1', 'incident.declared', { title: 'B' }, 1, 'search')]);
  await waitFor(async () => told(ops.received, 'inc-b').length === 2, 'the merge notice');
  const merged = ops.received.filter((r) => r.payload.type === 'incident.merged');
  expect(merged).toHaveLength(1);
  expect(merged[0]!.payload.data).toMatchObject({ incident: { id: 'inc-b' }, mergedInto: 'inc-a', links: { workspace: 'http://127.0.0.1:3004/incidents/inc-a' } });
  await place('inc-a', [event('a2', 'A-1', 'severity.changed', { severity: 'P1' }, 5, 'search')]);
  await waitFor(async () => told(ops.received, 'inc-a').length >= 2, 'the target updated');
  expect(told(ops.received, 'inc-b')).toEqual(['incident.opened triggered', 'incident.merged triggered']);
});

test('a receiver that never answers in time is retried on its own; the delivery log and the CLI show it; redeliver sends the same id again', async () => {
  slow.state.answer = 204;
  const received = () => slow.received.length;
  // Answer only after the notifier's 1 s timeout: no attempt gets an answer.
  const realStart = slow.received.length;
  await slow.stop();
  const { createServer } = await import('node:http');
  const hanging = createServer(() => undefined);
  await new Promise<void>((resolve) => hanging.listen(Number(new URL(slow.url).port), '127.0.0.1', () => resolve()));
  try {
    await place('inc-search', [event('s1', 'S-1', 'incident.declared', { title: 'Search slow' }, 50, 'search')]);
    await waitFor(async () => told(ops.received, 'inc-search').length === 1, 'ops, not held up by the slow receiver', 10_000);
    const pending = await waitFor(async () => {
      const log = (await (await fetch(`${stack.notifier}/v1/deliveries?subscription=slow&status=pending&incident=inc-search`)).json()) as { items: { id: string; attempts: number; lastAnswer: { error: string } | null }[] };
      return log.items.find((d) => d.attempts >= 2) ?? null;
    }, 'retries of the slow receiver');
    expect(pending.lastAnswer!.error).toBe('no answer within 1 s');
    const listed = await npmRun('deliveries', { NOTIFIER_URL: stack.notifier! }, ['list', '--subscription', 'slow', '--status', 'pending', '--incident', 'inc-search']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`${pending.id}  pending  incident.opened  inc-search  slow  attempts`);
    expect(listed.stdout).toContain('no answer within 1 s');
  } finally {
    hanging.closeAllConnections();
    await new Promise((resolve) => hanging.close(resolve));
    await slow.start();
  }
  await waitFor(async () => received() > realStart, 'the slow receiver served once it answers');
  await waitFor(async () => slow.received.some((r) => r.payload.data.incident.id === 'inc-search'), 'the slow receiver served inc-search');
  const delivered = slow.received.find((r) => r.payload.data.incident.id === 'inc-search')!;

  const again = await npmRun('deliveries', { NOTIFIER_URL: stack.notifier! }, ['redeliver', delivered.id, 'msg_unknown']);
  expect(again.stdout).toBe(`${delivered.id}: queued again\nmsg_unknown: unknown\n`);
  expect(again.code).toBe(1);
  await waitFor(async () => slow.received.filter((r) => r.id === delivered.id).length === 2, 'the redelivery');
  const [first, second] = slow.received.filter((r) => r.id === delivered.id);
  expect(second!.body).toBe(first!.body);
  expect(second!.verified).toBe(true);
});

test('the delivery log refuses what is not this machine without tokens, and a bad filter names it', async () => {
  const foreign = await withHost(`${stack.notifier}/v1/deliveries`, 'evil.example');
  expect(foreign.status).toBe(403);
  const bad = await fetch(`${stack.notifier}/v1/deliveries?status=lost`);
  expect(bad.status).toBe(400);
  expect(((await bad.json()) as { errors: { path: string }[] }).errors[0]!.path).toBe('status');
  const cli = await npmRun('deliveries', { NOTIFIER_URL: stack.notifier! }, ['list', '--status', 'lost']);
  expect(cli.code).toBe(1);
  expect(cli.stderr).toMatch(/^deliveries: notifier answered 400: .*status/);
});
