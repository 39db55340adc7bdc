import pg from 'pg';
import type { KafkaMessage } from 'kafkajs';
import { ADVISORY_LOCKS, deadLetterMessage } from '@app/platform';
import { openInfra, post, request, type Infra } from '../../apps/ingest/test/support/ingest-kit.js';
import { exampleEvents } from '../support/fixtures.js';
import { testEnvironment, waitFor } from '../support/environment.js';
import { startStack, type RunningStack } from '../support/stack.js';
import { withHost } from '../support/with-host.js';

/*
 * Issue 12, "locked down by default", on the real services: without tokens every service listens on
 * loopback and answers only requests naming this machine in Host; with READ_TOKENS the read APIs of
 * timeline and renderer want one; the rebuild refuses cross-site shapes and runs one at a time; ingest's
 * replay routes, which map a stored body as its tool or lift the tool-id reservation, want an operator's
 * token and replay only a dead letter the timeline stored.
 */

const READ_TOKEN = 'read-token-0123456789abcdef';
const INGEST_TOKEN = 'ingest-token-0123456789abcdef';
const ADMIN_TOKEN = 'admin-token-0123456789abcdef';
const environment = testEnvironment('locked');
const groups = { TIMELINE_CONSUMER_GROUP: `timeline-${environment.name}`, RENDERER_CONSUMER_GROUP: `renderer-${environment.name}`, LOG_LEVEL: 'error' };

let open: RunningStack;
let guarded: RunningStack;
let infra: Infra;

beforeAll(async () => {
  // Without tokens and without *_HOST: the defaults under test.
  open = await startStack(environment, ['timeline', 'renderer', 'web'], { ...groups, TIMELINE_HOST: '', RENDERER_HOST: '' });
  // A second pair with tokens, on the same database and topics but their own consumer groups.
  // The web workspace in front of them presents the tokens it is given.
  guarded = await startStack(environment, ['ingest', 'timeline', 'renderer', 'web'], {
    LOG_LEVEL: 'error',
    INGEST_TOKENS: INGEST_TOKEN,
    READ_TOKENS: READ_TOKEN,
    WEB_READ_TOKEN: READ_TOKEN,
    WEB_INGEST_TOKEN: INGEST_TOKEN,
    TIMELINE_CONSUMER_GROUP: `timeline-b-${environment.name}`,
    RENDERER_CONSUMER_GROUP: `renderer-b-${environment.name}`,
  });
  infra = await openInfra(environment);
  infra.groups.push(`timeline-b-${environment.name}`, `renderer-b-${environment.name}`);
}, 120_000);

afterAll(async () => {
  await guarded?.close();
  await open?.close();
  await infra?.close();
  await environment.dropDatabase().catch(() => undefined);
});

const get = (url: string, headers: Record<string, string> = {}) => request(url, { headers });

test('without tokens, the services listen on loopback only', () => {
  expect(new URL(open.timeline!).hostname).toBe('127.0.0.1');
  expect(new URL(open.renderer!).hostname).toBe('127.0.0.1');
});

test.each(['timeline', 'renderer'] as const)('without tokens, %s refuses a request naming another host (DNS rebinding), health included', async (service) => {
  const base = open[service]!;
  for (const path of ['/health/ready', '/v1/incidents/INC-1' + (service === 'renderer' ? '/summary' : '')]) {
    const rebound = await withHost(`${base}${path}`, 'evil.example:3002');
    expect([path, rebound.status, rebound.contentType]).toEqual([path, 403, 'application/problem+json; charset=utf-8']);
  }
  expect((await get(`${base}/health/ready`)).status).toBe(200);
  expect((await withHost(`${base}/health/ready`, 'localhost')).status).toBe(200);
});

test('without a trusted proxy header, the web workspace refuses a request naming another host (DNS rebinding)', async () => {
  expect(new URL(open.web!).hostname).toBe('127.0.0.1');
  expect((await withHost(`${open.web}/incidents`, 'evil.example:3004')).status).toBe(403);
  expect((await withHost(`${open.web}/incidents`, 'localhost')).status).toBe(200);
});

/** Every read API of timeline and renderer, each as a caller would send it. */
const READS = {
  timeline: [
    ['GET', '/v1/incidents'],
    ['GET', '/v1/incidents/INC-1'],
    ['GET', '/v1/incidents/INC-1/events'],
    ['GET', '/v1/unattached-events'],
    ['GET', '/v1/analytics/incidents?groupBy=service'],
    ['GET', '/v1/dead-letters'],
    ['GET', '/v1/dead-letters/1'],
    ['POST', '/v1/events/lookup'],
  ],
  renderer: [
    ['GET', '/v1/incidents/INC-1/rca.md'],
    ['GET', '/v1/incidents/INC-1/rca/versions'],
    ['GET', '/v1/incidents/INC-1/rca/versions/1.md'],
    ['GET', '/v1/incidents/INC-1/summary'],
    ['GET', '/v1/incidents/INC-1/summary.md'],
  ],
} as const;

test.each(['timeline', 'renderer'] as const)('with READ_TOKENS, every read API of %s wants one; health stays open', async (service) => {
  const base = guarded[service]!;
  const call = (method: string, path: string, headers: Record<string, string> = {}) =>
    request(`${base}${path}`, method === 'POST' ? { method, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ ids: ['x'] }) } : { headers });
  for (const [method, path] of READS[service]) {
    expect([method, path, (await call(method, path)).status]).toEqual([method, path, 401]);
    expect([method, path, (await call(method, path, { authorization: 'Bearer wrong-token-0123456789' })).status]).toEqual([method, path, 401]);
    const withToken = (await call(method, path, { authorization: `Bearer ${READ_TOKEN}` })).status;
    expect([method, path, withToken === 401 || withToken === 403 || withToken >= 500]).toEqual([method, path, false]);
  }
  expect((await get(`${base}/health/ready`)).status).toBe(200);
});

test('no X-Powered-By, and nosniff on every answer', async () => {
  for (const url of [`${guarded.ingest}/health/live`, `${open.timeline}/v1/incidents`, `${open.renderer}/v1/incidents/x/summary`]) {
    const reply = await get(url);
    expect([url, reply.headers.get('x-powered-by'), reply.headers.get('x-content-type-options')]).toEqual([url, null, 'nosniff']);
  }
});

describe('POST /v1/admin/rebuild', () => {
  beforeAll(async () => {
    const reply = await post(`${guarded.ingest}/v1/events`, exampleEvents(), { authorization: `Bearer ${INGEST_TOKEN}` });
    expect(reply.status).toBe(202);
    await waitFor(async () => (await get(`${open.timeline}/v1/incidents/INC-2025-0405-ORD`)).status === 200, 'the example incident', 60_000);
  }, 90_000);

  const rebuild = (headers: Record<string, string>) => request(`${open.timeline}/v1/admin/rebuild`, { method: 'POST', headers, body: '{}' });

  test('refuses a simple (no-preflight) content type and a cross-site browser request', async () => {
    expect((await rebuild({ 'content-type': 'text/plain' })).status).toBe(415);
    expect((await rebuild({ 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await rebuild({ 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await withHost(`${open.timeline}/v1/admin/rebuild`, 'evil.example', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(403);
  });

  test('the web workspace reads the guarded timeline and renderer with its token', async () => {
    const page = await get(`${guarded.web}/incidents/INC-2025-0405-ORD`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-figure=');
    await waitFor(async () => (await get(`${guarded.web}/incidents/INC-2025-0405-ORD/rca`)).status === 200, 'the RCA page through the renderer', 60_000);
  });

  test('a web workspace whose token the timeline and renderer refuse is not ready, and says which', async () => {
    const wrong = await startStack(environment, ['web'], {
      LOG_LEVEL: 'error',
      INGEST_URL: guarded.ingest!,
      TIMELINE_URL: guarded.timeline!,
      RENDERER_URL: guarded.renderer!,
      WEB_READ_TOKEN: 'not-the-read-token-0123456789',
      WEB_INGEST_TOKEN: INGEST_TOKEN,
    });
    try {
      const refused = await get(`${wrong.web}/health/ready`);
      expect(refused.status).toBe(503);
      expect(JSON.stringify(refused.body)).toMatch(/timeline/);
      expect(JSON.stringify(refused.body)).toMatch(/renderer/);
    } finally {
      await wrong.close();
    }
    expect((await get(`${guarded.web}/health/ready`)).status).toBe(200);
  });

  test('runs one at a time across instances (the CLI takes the same lock): 409 while another holds it, 200 once it is free', async () => {
    // Whoever rebuilds holds ADVISORY_LOCKS.timelineRebuild for the whole run; this connection plays one.
    const holder = new pg.Client({ connectionString: environment.databaseUrl });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCKS.timelineRebuild]);
      for (const base of [open.timeline!, guarded.timeline!]) {
        const refused = await request(`${base}/v1/admin/rebuild`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
        expect([base, refused.status, refused.body.detail]).toEqual([base, 409, 'a rebuild is already running; retry when it has finished']);
      }
      await holder.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCKS.timelineRebuild]);
    } finally {
      await holder.end();
    }
    expect((await rebuild({ 'content-type': 'application/json' })).status).toBe(200);
    expect((await get(`${open.timeline}/health/ready`)).status).toBe(200);
  }, 60_000);
});

describe('the replay routes of ingest', () => {
  let unconfigured: RunningStack;
  let operated: RunningStack;
  beforeAll(async () => {
    unconfigured = await startStack(environment, ['ingest'], { LOG_LEVEL: 'error', INGEST_HOST: '' });
    // As docker-compose.yml runs them: the timeline with READ_TOKENS and ADMIN_TOKENS, ingest with the same ADMIN_TOKENS
    // (it reads the letter an operator replays from the timeline, with the operator's token).
    operated = await startStack(environment, ['timeline', 'ingest'], {
      LOG_LEVEL: 'error',
      INGEST_TOKENS: INGEST_TOKEN,
      READ_TOKENS: READ_TOKEN,
      ADMIN_TOKENS: ADMIN_TOKEN,
      TIMELINE_CONSUMER_GROUP: `timeline-c-${environment.name}`,
    });
    infra.groups.push(`timeline-c-${environment.name}`, `timeline-c-${environment.name}.dead-letters`, `timeline-c-${environment.name}.renderer-dead-letters`);
  }, 60_000);
  afterAll(async () => {
    await operated?.close();
    await unconfigured?.close();
  });

  /** An event as ingest derives it from an Alertmanager webhook: its id is reserved for the tool (issue 12). */
  const toolEvent = { id: 'am-10c4ed00-1748772000000-firing', type: 'alert.triggered', occurredAt: '2025-06-01T10:00:00Z', source: 'alertmanager', service: 'locked-replay', data: { alertName: 'DiskFull' } };
  const replayRoutes = ['/v1/webhooks/replay/alertmanager', '/v1/events/replay'];

  test('without tokens, both refuse a request naming another host (DNS rebinding) and let a local one through to their checks', async () => {
    for (const path of replayRoutes) {
      const rebound = await withHost(`${unconfigured.ingest}${path}`, 'evil.example:3001', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(toolEvent) });
      expect([path, rebound.status]).toEqual([path, 403]);
      // Past the guard, a body that names no dead letter is not replayed.
      const local = await post(`${unconfigured.ingest}${path}`, toolEvent, { authorization: undefined });
      expect([path, local.status, local.body.errors.map((issue: { path: string }) => issue.path)]).toEqual([path, 400, ['aftermath-dead-letter-id']]);
    }
  });

  test('with ADMIN_TOKENS, both want one: no token, a wrong one and a sender token are refused; POST /v1/events still refuses the tool id; a stored letter is replayed', async () => {
    const send = (path: string, token?: string, headers: Record<string, string> = {}) => post(`${operated.ingest}${path}`, toolEvent, { authorization: token && `Bearer ${token}`, ...headers });
    for (const path of replayRoutes) {
      expect([path, (await send(path)).status]).toEqual([path, 401]);
      expect([path, (await send(path, 'wrong-token-0123456789abcdef')).status]).toEqual([path, 401]);
      expect([path, (await send(path, INGEST_TOKEN)).status]).toEqual([path, 401]);
    }
    const native = await send('/v1/events', INGEST_TOKEN);
    expect([native.status, native.body.errors.map((issue: { path: string }) => issue.path)]).toEqual([400, ['id']]);
    expect((await send('/v1/events/replay', ADMIN_TOKEN, { 'aftermath-dead-letter-id': 'dl-never-kept-aside' })).status).toBe(404);

    // The event as the timeline kept it aside (a failure since fixed): on the dead-letter topic, stored, then replayed by its id.
    const original = { key: Buffer.from(toolEvent.service), value: Buffer.from(JSON.stringify(toolEvent)), headers: {}, offset: '3', timestamp: String(Date.now()), attributes: 0, size: 0 } as unknown as KafkaMessage;
    const producer = infra.kafka.producer();
    await producer.connect();
    await producer.send({ topic: infra.topics.deadLetters, acks: -1, messages: [deadLetterMessage({ message: original, reason: 'SQLSTATE 22003: numeric field overflow' }, { topic: infra.topics.events, partition: 0 })] });
    await producer.disconnect();
    const readAs = { authorization: `Bearer ${READ_TOKEN}` };
    const letter = await waitFor(async () => ((await get(`${operated.timeline}/v1/dead-letters`, readAs)).body?.items as { id: string; reason: string }[] | undefined)?.find((item) => item.reason.startsWith('SQLSTATE 22003')), 'the event dead letter stored');
    const replayed = await send('/v1/events/replay', ADMIN_TOKEN, { 'aftermath-dead-letter-id': letter.id });
    expect([replayed.status, replayed.body]).toEqual([202, { accepted: 1, eventIds: [toolEvent.id] }]);
  }, 60_000);
});
