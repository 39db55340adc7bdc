import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { KafkaMessage } from 'kafkajs';
import { deadLetterMessage } from '@app/platform';
import { testEnvironment, waitFor } from '../../../test/support/environment.js';
import { withHost } from '../../../test/support/with-host.js';
import { deadLetterId } from '../src/webhooks/dead-letters/dead-letter-id.js';
import { errorPaths, metric, post, request, runningIngest, TOKEN } from './support/ingest-kit.js';

/*
 * Nothing authenticated is ever dropped, against a real ingest and timeline on the real broker and
 * database: a group with one unusable alert publishes the others and keeps the body aside; the timeline
 * stores it once however often it is re-sent, lists it at GET /v1/dead-letters and through
 * `npm run dead-letters -- list`, and `dead-letters -- replay` re-runs the mapping on it, or publishes a
 * kept-aside event again, even one whose id ingest derived for a tool.
 */

const environment = testEnvironment('dead_letters');
// The timeline first: ingest's replay routes read the stored letter from it (TIMELINE_URL).
const suite = runningIngest(environment, ['timeline', 'ingest']);
const run = promisify(execFile);


const alert = (fingerprint: string, startsAt: string, service = 'dl-svc') => ({
  status: 'firing',
  labels: { alertname: 'DiskFull', service },
  annotations: { summary: 'disk above 95%' },
  startsAt,
  endsAt: '0001-01-01T00:00:00Z',
  fingerprint,
});

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  // No ADMIN_TOKENS in this suite: the replay routes answer local requests, as `npm start` without tokens.
  const env = { ...process.env, TIMELINE_URL: suite.stack.timeline!, INGEST_URL: suite.stack.ingest! };
  try {
    const { stdout, stderr } = await run('node', ['apps/timeline/dist/cli/dead-letters.js', ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const deadLetters = async () => (await request(`${suite.stack.timeline}/v1/dead-letters`)).body.items as { id: string; kind: string; source: string; reason: string; replayedAt: string | null }[];

test('one unusable alert keeps only itself aside; the re-sent body is one dead letter; replay re-runs the mapping', async () => {
  const body = JSON.stringify({ version: '4', status: 'firing', groupKey: '{}:{alertname="DiskFull"}', alerts: [alert('d15c0001', '2025-06-01T10:00:00Z'), alert('d15c0002', 'yesterday')] });
  const first = await post(`${suite.stack.ingest}/v1/webhooks/alertmanager`, body);
  expect(first.status).toBe(202);
  expect(first.body).toMatchObject({ accepted: 1, eventIds: ['am-d15c0001-1748772000000-firing'], keptAside: { parts: [{ at: 'alerts.1', errors: [{ path: 'alerts.1.startsAt' }] }] } });
  const again = await post(`${suite.stack.ingest}/v1/webhooks/alertmanager`, body);
  expect(again.body.keptAside.deadLetterId).toBe(first.body.keptAside.deadLetterId);

  const id = first.body.keptAside.deadLetterId as string;
  const [stored] = await waitFor(async () => {
    const items = await deadLetters();
    return items.length > 0 ? items : null;
  }, 'the dead letter on the timeline');
  expect(stored).toMatchObject({ id, kind: 'webhook', source: 'alertmanager', reason: expect.stringContaining('alerts.1.startsAt'), replayedAt: null });
  // Both deliveries reached the timeline's dead-letter consumer: still one row.
  await suite.infra.caughtUp(`timeline-${environment.name}.dead-letters`, suite.infra.topics.deadLetters);
  expect((await deadLetters()).map((letter) => letter.id)).toEqual([id]);
  const incident = await waitFor(async () => (await request(`${suite.stack.timeline}/v1/incidents?service=dl-svc`)).body.items[0], 'the good alert in an incident');
  expect(incident.alertNames).toEqual(['DiskFull']);

  const listed = await cli('list');
  expect(listed).toMatchObject({ code: 0, stdout: expect.stringContaining(id) });
  expect(listed.stdout).toContain('alerts.1.startsAt');

  // Still unmappable: replay says so, publishes the good alert again under its id (no change), keeps the letter once.
  const replayed = await cli('replay', id);
  expect(replayed.code).toBe(1);
  expect(replayed.stdout).toContain(`${id}: 1 event(s) accepted; still kept aside: alerts.1:`);
  const [after] = await deadLetters();
  expect(after).toMatchObject({ id, replayedAt: expect.any(String) });
  expect(await cli('replay', 'dl-00000000000000000000000000000000')).toMatchObject({ code: 1, stdout: expect.stringContaining('no such dead letter') });
}, 90_000);

test('a body an earlier mapping kept aside is published by replay after the fix', async () => {
  // What an older ingest kept aside: on the dead-letter topic with its headers, as DeadLetterPublisher writes it.
  const body = Buffer.from(JSON.stringify({ status: 'firing', alerts: [alert('f1x00001', '2025-06-02T08:00:00Z', 'dl-fixed')] }));
  const olderId = deadLetterId('alertmanager', body);
  const producer = suite.infra.kafka.producer();
  await producer.connect();
  await producer.send({
    topic: suite.infra.topics.deadLetters,
    messages: [{ key: 'alertmanager', value: body, headers: { 'aftermath-dead-letter-id': olderId, 'aftermath-kind': 'webhook', 'aftermath-webhook': 'alertmanager', 'aftermath-error': 'version: expected Alertmanager webhook version "4"' } }],
  });
  await producer.disconnect();
  await waitFor(async () => (await deadLetters()).some((letter) => letter.id === olderId), 'the older dead letter stored');

  const replayed = await cli('replay', olderId);
  expect(replayed).toMatchObject({ code: 0, stdout: `${olderId}: replayed, 1 event(s) accepted\n` });
  const events = await waitFor(async () => {
    const page = (await request(`${suite.stack.timeline}/v1/incidents?service=dl-fixed`)).body;
    return page.items[0] ? (await request(`${suite.stack.timeline}/v1/incidents/${page.items[0].id}/events`)).body.events : null;
  }, 'the replayed alert in an incident');
  expect(events.map((event: { id: string }) => event.id)).toEqual(['am-f1x00001-1748851200000-firing']);
  expect((await cli('list', '--pending')).stdout).not.toContain(olderId);
}, 90_000);

test('a message of the events topic that fails validation is listed, and its replay answers the 400 naming the field', async () => {
  const producer = suite.infra.kafka.producer();
  await producer.connect();
  await producer.send({ topic: suite.infra.topics.events, messages: [{ key: 'x', value: JSON.stringify({ id: 'poison-1', type: 'note.added', occurredAt: '2025-06-01T10:00:00Z', source: 'script', service: 'x' }) }] });
  await producer.disconnect();
  const letter = await waitFor(async () => (await deadLetters()).find((item) => item.kind === 'event'), 'the poison message stored');
  expect(letter).toMatchObject({ source: suite.infra.topics.events, reason: expect.stringContaining('data.text') });
  const replayed = await cli('replay', letter.id);
  expect(replayed.code).toBe(1);
  expect(replayed.stdout).toContain(`${letter.id}: ingest answered 400`);
  expect(replayed.stdout).toContain('data.text');
}, 90_000);

test('an event with a tool-derived id that the timeline kept aside is replayed, and stored once however often', async () => {
  // What ingest published from an Alertmanager webhook, dead-lettered by the timeline as isolate-poison
  // does after a failure since fixed; POST /v1/events refuses its id to senders (issue 12).
  const event = {
    id: 'am-7e57ab1e-1748772000000-firing',
    type: 'alert.triggered',
    occurredAt: '2025-06-01T10:00:00Z',
    source: 'alertmanager',
    service: 'dl-tool-event',
    correlationKeys: ['dedup:7e57ab1e'],
    data: { alertName: 'DiskFull', fingerprint: '7e57ab1e' },
  };
  const refused = await post(`${suite.stack.ingest}/v1/events`, event);
  expect([refused.status, errorPaths(refused)]).toEqual([400, ['id', 'correlationKeys.0']]);
  const original = { key: Buffer.from(event.service), value: Buffer.from(JSON.stringify(event)), headers: {}, offset: '41', timestamp: String(Date.now()), attributes: 0, size: 0 } as unknown as KafkaMessage;
  const producer = suite.infra.kafka.producer();
  await producer.connect();
  await producer.send({ topic: suite.infra.topics.deadLetters, messages: [deadLetterMessage({ message: original, reason: 'SQLSTATE 22003: numeric field overflow' }, { topic: suite.infra.topics.events, partition: 0 })] });
  await producer.disconnect();
  const letter = await waitFor(async () => (await deadLetters()).find((item) => item.kind === 'event' && item.reason.startsWith('SQLSTATE 22003')), 'the event dead letter stored');

  const duplicatesBefore = await metric(suite.stack.timeline!, 'aftermath_timeline_events_total', { outcome: 'duplicate' });
  expect(await cli('replay', letter.id)).toMatchObject({ code: 0, stdout: `${letter.id}: replayed, 1 event(s) accepted\n` });
  await suite.infra.timelineCaughtUp();
  expect(await cli('replay', letter.id)).toMatchObject({ code: 0, stdout: `${letter.id}: replayed, 1 event(s) accepted\n` });
  await suite.infra.timelineCaughtUp();

  const incidents = (await request(`${suite.stack.timeline}/v1/incidents?service=dl-tool-event`)).body.items as { id: string }[];
  expect(incidents).toHaveLength(1);
  const stored = (await request(`${suite.stack.timeline}/v1/incidents/${incidents[0]!.id}/events`)).body.events as { id: string }[];
  expect(stored.map((item) => item.id)).toEqual([event.id]);
  expect(await metric(suite.stack.timeline!, 'aftermath_timeline_events_total', { outcome: 'duplicate' })).toBe(duplicatesBefore + 1);
  expect((await deadLetters()).find((item) => item.id === letter.id)).toMatchObject({ replayedAt: expect.any(String) });
}, 90_000);

test('without ADMIN_TOKENS the replay routes answer this machine only: a sender token does not open them to another host', async () => {
  // This suite's ingest has INGEST_TOKENS and no ADMIN_TOKENS (with them: test/e2e/locked-down).
  const event = { id: 'am-0ff51de0-1748772000000-firing', type: 'alert.triggered', occurredAt: '2025-06-01T10:00:00Z', source: 'alertmanager', service: 'dl-refused', data: { alertName: 'DiskFull' } };
  for (const path of ['/v1/events/replay', '/v1/webhooks/replay/alertmanager']) {
    const rebound = await withHost(`${suite.stack.ingest}${path}`, 'evil.example:3001', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(event),
    });
    expect([path, rebound.status, JSON.parse(rebound.text).detail]).toEqual([path, 401, 'ADMIN_TOKENS is not set: only local requests are accepted']);
    expect([path, (await post(`${suite.stack.ingest}${path}`, 'not json', { 'content-type': 'text/plain' })).status]).toEqual([path, 415]);
  }
}, 30_000);
