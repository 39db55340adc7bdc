import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { testEnvironment, waitFor } from '../../../test/support/environment.js';
import { post, request, runningIngest, TOKEN } from './support/ingest-kit.js';

/*
 * Nothing authenticated is ever dropped, against a real ingest and timeline on the real broker and
 * database: a group with one unusable alert publishes the others and keeps the body aside; the timeline
 * stores it once however often it is re-sent, lists it at GET /v1/dead-letters and through
 * `npm run dead-letters -- list`, and `dead-letters -- replay` re-runs the mapping on it.
 */

const environment = testEnvironment('dead_letters');
const suite = runningIngest(environment, ['ingest', 'timeline']);
const run = promisify(execFile);

beforeAll(() => {
  suite.infra.groups.push(`timeline-${environment.name}.dead-letters`);
});

const alert = (fingerprint: string, startsAt: string, service = 'dl-svc') => ({
  status: 'firing',
  labels: { alertname: 'DiskFull', service },
  annotations: { summary: 'disk above 95%' },
  startsAt,
  endsAt: '0001-01-01T00:00:00Z',
  fingerprint,
});

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, TIMELINE_URL: suite.stack.timeline!, INGEST_URL: suite.stack.ingest!, INGEST_TOKEN: TOKEN };
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
  const producer = suite.infra.kafka.producer();
  await producer.connect();
  await producer.send({
    topic: suite.infra.topics.deadLetters,
    messages: [{ key: 'alertmanager', value: body, headers: { 'aftermath-dead-letter-id': 'dl-older-mapping', 'aftermath-kind': 'webhook', 'aftermath-webhook': 'alertmanager', 'aftermath-error': 'version: expected Alertmanager webhook version "4"' } }],
  });
  await producer.disconnect();
  await waitFor(async () => (await deadLetters()).some((letter) => letter.id === 'dl-older-mapping'), 'the older dead letter stored');

  const replayed = await cli('replay', 'dl-older-mapping');
  expect(replayed).toMatchObject({ code: 0, stdout: 'dl-older-mapping: replayed, 1 event(s) accepted\n' });
  const events = await waitFor(async () => {
    const page = (await request(`${suite.stack.timeline}/v1/incidents?service=dl-fixed`)).body;
    return page.items[0] ? (await request(`${suite.stack.timeline}/v1/incidents/${page.items[0].id}/events`)).body.events : null;
  }, 'the replayed alert in an incident');
  expect(events.map((event: { id: string }) => event.id)).toEqual(['am-f1x00001-1748851200000-firing']);
  expect((await cli('list', '--pending')).stdout).not.toContain('dl-older-mapping');
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
