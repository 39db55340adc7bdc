import { testEnvironment } from '../../../test/support/environment.js';
import { fixture, fixtureText } from './fixtures/fixtures.js';
import {
  bearer,
  errorPaths,
  GRAFANA_SECRET,
  grafanaSignature,
  OTHER_TOKEN,
  PAGERDUTY_SECRETS,
  pagerDutySignature,
  post,
  runningIngest,
  TOKEN,
  type Reply,
} from './support/ingest-kit.js';

/*
 * The status codes of INTERFACES.md, each on every write endpoint it applies to, against a real
 * ingest on the real broker: 401 (token, PagerDuty and Grafana signatures), 413, 415 and 400 with the
 * failing field paths (our own APIs), 202 with what was kept aside (tool webhooks). Afterwards the topic holds exactly the events of the 202s: a refused request
 * never leaves anything behind. (503 has a suite of its own: kafka-unavailable.int-spec.ts.)
 */

const environment = testEnvironment('ingest_status');
const acceptedIds: string[] = [];

const suite = runningIngest(environment, ['ingest']);


const url = (path: string) => `${suite.stack.ingest}${path}`;
const MiB = 1024 * 1024;

const note = (id: string, text = 'status code test') => ({ id, type: 'note.added', occurredAt: '2025-04-05T15:28:00Z', source: 'api', service: 'status-svc', data: { text } });
const alertGroup = (version = '4', labels: Record<string, string> = { alertname: 'StatusTest', service: 'status-svc' }, startsAt = '2025-04-05T15:28:00Z') =>
  JSON.stringify({ version, status: 'firing', alerts: [{ status: 'firing', labels, annotations: {}, startsAt, endsAt: '0001-01-01T00:00:00Z', fingerprint: 'f00d' }] });
const structuredCe = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({ specversion: '1.0', id: 'st-1', source: '/status/test', type: 'note.added', time: '2025-04-05T15:28:00Z', subject: 'status-svc', data: { text: 'hi' }, ...overrides });

/** `text` with `marker` replaced by one raw byte: `0xe9` is latin1 é, never valid UTF-8 on its own. */
const withByte = (text: string, marker: string, byte: number) =>
  Buffer.concat([Buffer.from(text.slice(0, text.indexOf(marker))), Buffer.from([byte]), Buffer.from(text.slice(text.indexOf(marker) + marker.length))]);

const grafanaBody = fixtureText('grafana/firing.json');
const pagerDutyBody = fixtureText('pagerduty/incident-triggered.json');
const opsgenieBody = fixtureText('opsgenie/create.json');

/** A valid request per endpoint, with everything its authentication needs. */
const valid: Record<string, { path: string; body: string; headers: Record<string, string | undefined> }> = {
  events: { path: '/v1/events', body: JSON.stringify(note('status-valid-1')), headers: {} },
  alertmanager: { path: '/v1/webhooks/alertmanager', body: alertGroup(), headers: {} },
  grafana: { path: '/v1/webhooks/grafana', body: grafanaBody, headers: { 'x-grafana-alerting-signature': grafanaSignature(grafanaBody) } },
  pagerduty: { path: '/v1/webhooks/pagerduty', body: pagerDutyBody, headers: { authorization: undefined, 'x-pagerduty-signature': pagerDutySignature(pagerDutyBody, PAGERDUTY_SECRETS[0]!) } },
  opsgenie: { path: '/v1/webhooks/opsgenie', body: opsgenieBody, headers: {} },
  cloudevents: { path: '/v1/cloudevents', body: structuredCe(), headers: { 'content-type': 'application/cloudevents+json' } },
};
const ENDPOINTS = Object.keys(valid);

function expectProblem(reply: Reply, status: number, what: string): void {
  expect([what, reply.status, reply.headers.get('content-type')?.split(';')[0]]).toEqual([what, status, 'application/problem+json']);
  expect(reply.body).toMatchObject({ status, title: expect.any(String) });
}

async function expectAccepted(reply: Reply, what: string): Promise<void> {
  expect([what, reply.status]).toEqual([what, 202]);
  acceptedIds.push(...(reply.body.eventIds as string[]));
}

test('each endpoint takes its valid request (202), with either configured token', async () => {
  for (const [name, request] of Object.entries(valid)) await expectAccepted(await post(url(request.path), request.body, request.headers), name);
  await expectAccepted(await post(url('/v1/events'), note('status-valid-2'), bearer(OTHER_TOKEN)), 'second token');
  await expectAccepted(await post(url('/v1/events'), note('status-valid-3'), { authorization: `bearer   ${TOKEN}` }), 'scheme in lower case');
}, 60_000);

describe('401', () => {
  const tokenEndpoints = ENDPOINTS.filter((name) => name !== 'pagerduty');
  test.each([
    ['no Authorization header', undefined],
    ['an empty Authorization header', ''],
    ['a wrong token', 'Bearer not-the-token'],
    ['the token in another case', `Bearer ${TOKEN.toUpperCase()}`],
    ['a token prefix', `Bearer ${TOKEN.slice(0, -1)}`],
    ['both tokens joined', `Bearer ${TOKEN},${OTHER_TOKEN}`],
    ['Basic credentials', `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`],
    ['the bare token', TOKEN],
  ])('%s, on every token-guarded endpoint', async (_what, authorization) => {
    for (const name of tokenEndpoints) {
      const request = valid[name]!;
      expectProblem(await post(url(request.path), request.body, { ...request.headers, authorization }), 401, name);
    }
  }, 60_000);

  test('PagerDuty: missing, forged, retired-secret, wrong-scheme and malformed signatures, and a modified body', async () => {
    const body = pagerDutyBody;
    const send = (signature: string | undefined, payload = body) => post(url('/v1/webhooks/pagerduty'), payload, { authorization: undefined, 'x-pagerduty-signature': signature });
    expectProblem(await send(undefined), 401, 'no signature');
    expectProblem(await post(url('/v1/webhooks/pagerduty'), body), 401, 'a bearer token instead of a signature');
    expectProblem(await send(pagerDutySignature(body, 'forged-secret')), 401, 'forged');
    expectProblem(await send(pagerDutySignature(body, 'pd-secret-retired')), 401, 'signed with a secret rotated out');
    expectProblem(await send(pagerDutySignature(body, PAGERDUTY_SECRETS[0]!).replace('v1=', 'v0=')), 401, 'another scheme');
    expectProblem(await send('v1=zz' + 'a'.repeat(62)), 401, 'not hex');
    expectProblem(await send(pagerDutySignature(body, PAGERDUTY_SECRETS[0]!).slice(0, -2)), 401, 'truncated');
    // Signed over the original bytes, delivered with one byte changed (still valid JSON, same meaning).
    expectProblem(await send(pagerDutySignature(body, PAGERDUTY_SECRETS[0]!), body.replace('"P2"', '"P1"')), 401, 'body modified');
    expectProblem(await send(pagerDutySignature(body, PAGERDUTY_SECRETS[0]!), `${body}\n`), 401, 'trailing newline added');
    // During a rotation any one matching signature among several passes.
    await expectAccepted(await send(`${pagerDutySignature(body, 'pd-secret-retired')},${pagerDutySignature(body, PAGERDUTY_SECRETS[1]!)}`), 'one good of two');
  }, 60_000);

  test('Grafana: missing, wrong and stale signatures, a modified body, a signature without the token', async () => {
    const body = grafanaBody;
    const send = (headers: Record<string, string | undefined>, payload = body) => post(url('/v1/webhooks/grafana'), payload, headers);
    expectProblem(await send({}), 401, 'no signature');
    expectProblem(await send({ 'x-grafana-alerting-signature': grafanaSignature(body, 'wrong-secret') }), 401, 'wrong secret');
    expectProblem(await send({ 'x-grafana-alerting-signature': grafanaSignature(body) }, body.replace('Checkout API', 'Checkout APX')), 401, 'body modified');
    expectProblem(await send({ 'x-grafana-alerting-signature': `sha256=${grafanaSignature(body)}` }), 401, 'prefixed signature');
    expectProblem(await send({ authorization: undefined, 'x-grafana-alerting-signature': grafanaSignature(body) }), 401, 'signature, no token');
    expect(GRAFANA_SECRET).not.toBe('');
  }, 60_000);
});

describe('413 over 1 MiB', () => {
  test('a body one byte over 1 MiB, on every endpoint, before any authentication', async () => {
    for (const [name, request] of Object.entries(valid)) {
      const padded = JSON.stringify({ ...JSON.parse(request.body), padding: 'x'.repeat(MiB) }).slice(0, MiB + 1);
      expectProblem(await post(url(request.path), padded, request.headers), 413, name);
      expectProblem(await post(url(request.path), padded, { ...request.headers, authorization: undefined }), 413, `${name} without token`);
    }
  }, 60_000);

  test('a body of exactly 1 MiB is taken, even one event of nearly 1 MiB, and reaches Kafka', async () => {
    // Rendered text is bounded (8192 characters), so the bulk travels in a field of the open `data`.
    const withBlob = (blob: string) => ({ ...note('status-one-mib'), data: { text: 'status code test', blob } });
    const skeleton = JSON.stringify(withBlob(''));
    const event = withBlob('y'.repeat(MiB - skeleton.length));
    const body = JSON.stringify(event);
    expect(Buffer.byteLength(body)).toBe(MiB);
    await expectAccepted(await post(url('/v1/events'), body), 'one event of 1 MiB');
    const [message] = await suite.reader.waitForIds(['status-one-mib']);
    expect(message!.value.data.blob).toHaveLength(event.data.blob.length);
  }, 60_000);

  test('an Alertmanager group of 6,000 alerts under 1 MiB (an alert storm) is taken whole', async () => {
    const alerts = Array.from({ length: 6000 }, (_, i) => ({ status: 'firing', labels: { alertname: 'Storm', service: 'status-storm' }, startsAt: '2025-04-05T15:28:00Z', fingerprint: `s${i}` }));
    const body = JSON.stringify({ version: '4', status: 'firing', alerts });
    expect(Buffer.byteLength(body)).toBeLessThan(MiB);
    const reply = await post(url('/v1/webhooks/alertmanager'), body);
    await expectAccepted(reply, 'alert storm');
    expect(reply.body.accepted).toBe(6000);
  }, 60_000);
});

describe('415', () => {
  test.each([
    ['text/plain', { 'content-type': 'text/plain' }],
    ['application/xml', { 'content-type': 'application/xml' }],
    ['a form', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['multipart', { 'content-type': 'multipart/form-data; boundary=x' }],
    ['no Content-Type', { 'content-type': undefined }],
    ['JSON in latin1', { 'content-type': 'application/json; charset=latin1' }],
    ['an unknown content encoding', { 'content-encoding': 'compress' }],
  ])('%s, on every endpoint', async (_what, headers) => {
    for (const [name, request] of Object.entries(valid)) {
      expectProblem(await post(url(request.path), request.body, { ...request.headers, ...headers }), 415, name);
    }
  }, 60_000);

  test('CloudEvents binary mode whose data is not JSON', async () => {
    const headers = { 'content-type': 'text/plain', 'ce-specversion': '1.0', 'ce-id': 'b-1', 'ce-source': '/s', 'ce-type': 'note.added', 'ce-time': '2025-04-05T15:28:00Z', 'ce-subject': 'status-svc' };
    expectProblem(await post(url('/v1/cloudevents'), 'plain text', headers), 415, 'binary text/plain');
  }, 60_000);
});

const grafanaDocs = fixtureText('grafana/firing-docs-example.json');
const pdAnnotated = fixture<{ event: { data: Record<string, unknown> } }>('pagerduty/incident-annotated.json');
pdAnnotated.event.data.content = '';
const pdEmptyNote = JSON.stringify(pdAnnotated);
const ogNoService = JSON.stringify({ ...fixture<{ alert: Record<string, unknown> }>('opsgenie/create.json'), alert: { alertId: 'x', message: 'Disk full on db-1', createdAt: 1743866880104, tags: ['env:prod'] } });
const ogFarFuture = JSON.stringify({ ...fixture('opsgenie/create.json'), alert: { ...fixture<{ alert: object }>('opsgenie/create.json').alert, createdAt: '9999999999999999999999' } });

describe('400 names the failing fields of our own APIs, as the sender spelled them', () => {
  test.each<[string, string, string | Buffer, Record<string, string | undefined>, string[] | null]>([
    ['events: required fields missing', '/v1/events', JSON.stringify({ type: 'alert.triggered' }), {}, ['id', 'occurredAt', 'source', 'service', 'data.alertName']],
    ['events: an unknown envelope field', '/v1/events', JSON.stringify({ ...note('u-1'), severity: 'P1' }), {}, ['severity']],
    ['events: the second of a batch', '/v1/events', JSON.stringify([note('b-1'), { ...note('b-2'), occurredAt: '2025-04-05 15:28' }]), {}, ['[1].occurredAt']],
    ['events: an empty batch', '/v1/events', '[]', {}, ['']],
    ['events: 1001 events', '/v1/events', JSON.stringify(Array.from({ length: 1001 }, (_, i) => note(`n-${i}`))), {}, ['']],
    // No field to name: the problem's detail says where the JSON breaks.
    ['events: not JSON', '/v1/events', '{"id": ', {}, null],
    ['events: not UTF-8', '/v1/events', withByte(JSON.stringify(note('utf-1', 'caf@')), '@', 0xe9), {}, ['']],
    ['cloudevents: no time', '/v1/cloudevents', structuredCe({ time: undefined }), { 'content-type': 'application/cloudevents+json' }, ['time']],
    ['cloudevents: not a catalogue type', '/v1/cloudevents', structuredCe({ type: 'com.example.thing.happened' }), { 'content-type': 'application/cloudevents+json' }, ['type']],
    ['cloudevents: a batch whose second event has no subject', '/v1/cloudevents', `[${structuredCe()},${structuredCe({ id: 'st-2', subject: undefined })}]`, { 'content-type': 'application/cloudevents-batch+json' }, ['[1].subject']],
  ])('%s', async (what, path, body, headers, paths) => {
    const reply = await post(url(path), body, headers);
    expectProblem(reply, 400, what);
    if (paths) expect(errorPaths(reply).sort()).toEqual([...paths].sort());
    else expect(reply.body.detail).toMatch(/JSON/);
  }, 60_000);
});

describe('202 keeps aside what authenticated but cannot be mapped, naming the fields as the sender spelled them', () => {
  // The tools do not resend a 4xx: the body goes to the dead-letter topic, and the 202 says so.
  test.each<[string, string, string, Record<string, string | undefined>, string[]]>([
    ['alertmanager: startsAt without offset', '/v1/webhooks/alertmanager', alertGroup('4', undefined, '2025-04-05T15:28:00'), {}, ['alerts.0.startsAt']],
    ['alertmanager: startsAt in the year 0', '/v1/webhooks/alertmanager', alertGroup('4', undefined, '0000-01-01T00:00:00Z'), {}, ['alerts.0.startsAt']],
    ['alertmanager: no alerts array', '/v1/webhooks/alertmanager', JSON.stringify({ version: '4', status: 'firing' }), {}, ['alerts']],
    ['pagerduty: an empty note', '/v1/webhooks/pagerduty', pdEmptyNote, { authorization: undefined, 'x-pagerduty-signature': pagerDutySignature(pdEmptyNote, PAGERDUTY_SECRETS[0]!) }, ['event.data.content']],
    ['opsgenie: an epoch no date can hold', '/v1/webhooks/opsgenie', ogFarFuture, {}, ['alert.createdAt']],
  ])('%s', async (what, path, body, headers, paths) => {
    const reply = await post(url(path), body, headers);
    await expectAccepted(reply, what);
    expect(reply.body.keptAside.deadLetterId).toMatch(/^dl-[0-9a-f]{32}$/);
    expect(reply.body.keptAside.parts.flatMap((part: { errors: { path: string }[] }) => part.errors.map((issue) => issue.path)).sort()).toEqual([...paths].sort());
  }, 60_000);

  test.each<[string, string, string, Record<string, string | undefined>, number]>([
    ['alertmanager: version 3', '/v1/webhooks/alertmanager', alertGroup('3'), {}, 1],
    ['alertmanager: no service label (service unknown)', '/v1/webhooks/alertmanager', alertGroup('4', { alertname: 'X' }), {}, 1],
    ['grafana: the docs example has no service label', '/v1/webhooks/grafana', grafanaDocs, { 'x-grafana-alerting-signature': grafanaSignature(grafanaDocs) }, 2],
    ['opsgenie: no service tag, no entity', '/v1/webhooks/opsgenie', ogNoService, {}, 1],
  ])('maps what the tools really send: %s', async (what, path, body, headers, count) => {
    const reply = await post(url(path), body, headers);
    await expectAccepted(reply, what);
    expect(reply.body).toEqual({ accepted: count, eventIds: expect.any(Array) });
  }, 60_000);
});

test('the topic holds exactly the events of the 202s: refused requests left nothing behind', async () => {
  const unique = [...new Set(acceptedIds)];
  await suite.reader.waitForIds(unique);
  expect(await suite.infra.eventsOnTopic()).toBe(acceptedIds.length);
  expect(new Set(suite.reader.messages.map((message) => message.value.id))).toEqual(new Set(unique));
}, 60_000);
