import { createHash } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
import { deadLetterMessage } from '@app/platform';
import { metric, PAGERDUTY_SECRETS, pagerDutySignature, post, request, runningIngest, TOKEN } from '../../apps/ingest/test/support/ingest-kit.js';
import { fixture } from '../../apps/ingest/test/fixtures/fixtures.js';
import { testEnvironment, waitFor } from '../support/environment.js';
import { npmRun } from '../support/npm-run.js';

/*
 * Issue 23, "dead letters are first-class", on the real stack (ingest, Kafka, timeline, renderer,
 * PostgreSQL, `npm run dead-letters` as an operator runs it):
 * - what is kept aside is always stored, whatever its bytes (a NUL in an Alertmanager label name, NULs,
 *   unpaired surrogates and bytes that are not UTF-8 in a letter's headers), and the letters and events
 *   behind it move on: a canary dead letter and a canary event behind it are stored, the timeline ready;
 * - the replay routes want an operator's token and replay only what was kept aside, by its id: a
 *   sender's token, a body that is not a stored dead letter, another tool's route are refused, and
 *   nothing they carried is published;
 * - the renderer's dead letters (incident-timeline.dlq.v1) are stored, listed, counted and replayed.
 * docs/reliability.md lists these rows.
 */

const ADMIN_TOKEN = 'dead-letters-admin-token-0123456789';
const environment = testEnvironment('dl_e2e');
// The timeline first: ingest reads the dead letters it replays from it (TIMELINE_URL).
const suite = runningIngest(environment, ['timeline', 'renderer', 'ingest'], { ADMIN_TOKENS: ADMIN_TOKEN, CONSUMER_STALL_SECONDS: '5' });


const SERVICE = 'dl-e2e-svc';
const DLQ = 'incident-events.dlq.v1';
const RENDERER_DLQ = 'incident-timeline.dlq.v1';

interface Letter {
  id: string;
  topic: string;
  kind: string;
  source: string;
  reason: string;
  fields: string[];
  parts: unknown;
  replayedAt: string | null;
  replayResult: { status: number } | null;
  bodyBytes: number;
  body?: string;
  bodyBase64?: string;
  headers?: Record<string, string>;
}

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
const timeline = () => suite.stack.timeline!;
const ingest = () => suite.stack.ingest!;
const letters = async () => (await request(`${timeline()}/v1/dead-letters?limit=1000`)).body.items as Letter[];
const letterById = async (id: string) => (await request(`${timeline()}/v1/dead-letters/${encodeURIComponent(id)}`)).body as Letter;
const ready = async (url: string) => (await fetch(`${url}/health/ready`)).status;
const lookup = async (id: string) => ((await post(`${timeline()}/v1/events/lookup`, { ids: [id] })).body.results as { status: string }[])[0]!.status;
const cli = (...args: string[]) => npmRun('dead-letters', { TIMELINE_URL: timeline(), INGEST_URL: ingest(), ADMIN_TOKEN, INGEST_TOKEN: TOKEN }, args);
const webhookLetterId = (source: string, body: Buffer) => `dl-${createHash('sha256').update(`${source}\n`).update(body).digest('hex').slice(0, 32)}`;

const alertGroup = (alert: Record<string, unknown>) => ({
  version: '4',
  status: 'firing',
  groupKey: '{}:{alertname="DeadLetterE2E"}',
  alerts: [{ status: 'firing', annotations: { summary: 'disk above 95%' }, endsAt: '0001-01-01T00:00:00Z', ...alert }],
});

/** True when a string anywhere in `value` holds what PostgreSQL text or jsonb cannot (NUL, an unpaired surrogate). */
const holdsUnstorable = (value: unknown): boolean =>
  typeof value === 'string'
    ? /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(value)
    : typeof value === 'object' && value !== null && Object.entries(value).some(([key, child]) => holdsUnstorable(key) || holdsUnstorable(child));

const note = (id: string) => ({ id, type: 'note.added', occurredAt: new Date(Date.now() - 60_000).toISOString(), source: 'api', service: SERVICE, data: { text: id } });

describe('issue 23: a dead letter is always stored, and never stops the letters behind it', () => {
  test('an Alertmanager body with a NUL in a label name; a letter with NULs, unpaired surrogates and non-UTF-8 bytes in every header; a canary letter and a canary event behind them', async () => {
    // 1. The input of the finding: one label name holding U+0000 (JSON's \u0000 escape on the wire).
    const nulBody = Buffer.from(JSON.stringify(alertGroup({ labels: { alertname: 'NulLabel', service: SERVICE, 'team\u0000x': 'core' }, startsAt: '2025-06-01T10:00:00Z', fingerprint: 'dl0e2e01' })));
    const nul = await post(`${ingest()}/v1/webhooks/alertmanager`, nulBody);
    expect(nul.status).toBe(202);
    const nulId = nul.body.keptAside.deadLetterId as string;
    expect(nulId).toBe(webhookLetterId('alertmanager', nulBody));

    // 2. A letter as another producer (or an older ingest) may write it: what PostgreSQL cannot hold in every header.
    const producer = suite.infra.kafka.producer();
    await producer.connect();
    await producer.send({
      topic: suite.infra.topics.deadLetters,
      acks: -1,
      messages: [
        {
          key: 'alertmanager',
          value: Buffer.from('{"version":"4","alerts":[]}'),
          headers: {
            'aftermath-dead-letter-id': 'dl-hostile-headers',
            'aftermath-kind': 'webhook',
            'aftermath-webhook': 'alertmanager',
            'aftermath-error': 'reason \u0000 alone',
            'aftermath-error-fields': 'labels.a\u0000b,x',
            'aftermath-kept-aside': JSON.stringify([{ at: 'alerts.0', reason: 'a\u0000b \udc00' }]),
            'x-binary': Buffer.from([0xff, 0x00, 0x41, 0x5c]),
          },
        },
      ],
    });
    await producer.disconnect();

    // 3. The canaries: another kept-aside body (the dead-letter topic has one partition: behind both), and an event.
    const canaryBody = Buffer.from(JSON.stringify(alertGroup({ labels: { alertname: 'Canary', service: SERVICE }, startsAt: 'yesterday', fingerprint: 'dl0e2e02' })));
    const canary = await post(`${ingest()}/v1/webhooks/alertmanager`, canaryBody);
    expect(canary.status).toBe(202);
    const canaryId = canary.body.keptAside.deadLetterId as string;
    expect((await post(`${ingest()}/v1/events`, note('dl-e2e-canary-event'))).status).toBe(202);

    await waitFor(async () => (await letters()).some((letter) => letter.id === canaryId), 'the canary dead letter stored behind the others');
    await waitFor(async () => ['attached', 'unattached'].includes(await lookup('dl-e2e-canary-event')), 'the canary event stored');
    expect(await ready(timeline())).toBe(200);

    // Every letter listed, each once; nothing the API shows holds what PostgreSQL refused.
    const listed = await letters();
    expect(listed.map((letter) => letter.id).sort()).toEqual([nulId, canaryId, 'dl-hostile-headers'].sort());
    expect(holdsUnstorable(listed)).toBe(false);

    // The NUL letter: the original bytes, losslessly, with its reason, fields and source.
    const stored = await letterById(nulId);
    expect(stored).toMatchObject({ id: nulId, topic: DLQ, kind: 'webhook', source: 'alertmanager', bodyBytes: nulBody.length, replayedAt: null });
    expect(Buffer.from(stored.body!, 'utf8').equals(nulBody)).toBe(true);
    expect(stored.reason.length).toBeGreaterThan(0);
    expect(holdsUnstorable(stored)).toBe(false);

    // The hostile headers: escaped visibly, never dropped.
    const hostile = await letterById('dl-hostile-headers');
    expect(hostile).toMatchObject({
      reason: 'reason \\u0000 alone',
      fields: ['labels.a\\u0000b', 'x'],
      parts: [{ at: 'alerts.0', reason: 'a\\u0000b \\udc00' }],
    });
    expect(hostile.headers!['x-binary']).toBe('\\xff\\x00A\\x5c');

    // Listed by the operator's command, and replayable: ingest maps the stored bytes again (202).
    const list = await cli('list');
    expect(list.code).toBe(0);
    for (const id of [nulId, canaryId, 'dl-hostile-headers']) expect(list.stdout).toContain(id);
    const replayed = await cli('replay', nulId);
    expect(replayed.stdout).toMatch(new RegExp(`^${nulId}: (replayed|\\d+ event\\(s\\) accepted)`));
    expect(await letterById(nulId)).toMatchObject({ replayedAt: expect.any(String), replayResult: { status: 202 } });

    // Nothing else changed: no letter was given up, the dead-letter consumer reached the end of its topic.
    await suite.infra.caughtUp(`timeline-${environment.name}.dead-letters`, suite.infra.topics.deadLetters);
    expect(await metric(timeline(), 'aftermath_timeline_dead_letters_unstorable_total')).toBe(0);
    expect((await letters()).map((letter) => letter.id).sort()).toEqual([nulId, canaryId, 'dl-hostile-headers'].sort());
    expect(await metric(ingest(), 'aftermath_kept_aside_total', { source: 'alertmanager', reason: 'invalid' })).toBeGreaterThanOrEqual(1);
    expect(await metric(timeline(), 'aftermath_timeline_dead_letters', { topic: DLQ, kind: 'webhook', state: 'pending' })).toBe(2);
    expect(await metric(timeline(), 'aftermath_timeline_dead_letters', { topic: DLQ, kind: 'webhook', state: 'replayed' })).toBe(1);
    // An alert dated next year (a tool's clock far ahead) is kept aside for clock skew, and counted so.
    const ahead = await post(`${ingest()}/v1/webhooks/alertmanager`, alertGroup({ labels: { alertname: 'Ahead', service: SERVICE }, startsAt: new Date(Date.now() + 365 * 86_400_000).toISOString(), fingerprint: 'dl0e2e04' }));
    expect(ahead.body.keptAside.parts).toEqual([expect.objectContaining({ kind: 'clock_skew' })]);
    expect(await metric(ingest(), 'aftermath_kept_aside_total', { source: 'alertmanager', reason: 'clock_skew' })).toBe(1);
  }, 120_000);
});

describe('issue 23: the replay routes replay only what was kept aside, for an operator', () => {
  /** A PagerDuty delivery nobody signed: PAGERDUTY_WEBHOOK_SECRETS are set, so /v1/webhooks/pagerduty refuses it. */
  const forged = () => {
    const payload = fixture<{ event: Record<string, unknown> }>('pagerduty/incident-triggered.json');
    return JSON.stringify({ event: { ...payload.event, id: 'forged-by-a-sender' } });
  };
  const forgedEvent = { id: 'am-f0f0f0f0-1748772000000-firing', type: 'alert.triggered', occurredAt: '2025-06-01T10:00:00Z', source: 'alertmanager', service: SERVICE, data: { alertName: 'Forged' } };

  test('a sender token, a body that is not a stored dead letter, another tool\'s route, a changed body: refused, nothing published', async () => {
    expect((await post(`${ingest()}/v1/webhooks/pagerduty`, forged())).status).toBe(401);
    const asSender = await post(`${ingest()}/v1/webhooks/replay/pagerduty`, forged());
    expect([asSender.status, asSender.body.detail]).toEqual([401, 'wrong bearer token']);
    expect((await post(`${ingest()}/v1/events/replay`, forgedEvent)).status).toBe(401);

    // An operator's token does not make an arbitrary body a dead letter.
    const unnamed = await post(`${ingest()}/v1/webhooks/replay/pagerduty`, forged(), admin);
    expect([unnamed.status, unnamed.body.errors?.map((issue: { path: string }) => issue.path)]).toEqual([400, ['aftermath-dead-letter-id']]);
    const unknown = await post(`${ingest()}/v1/webhooks/replay/pagerduty`, forged(), { ...admin, 'aftermath-dead-letter-id': webhookLetterId('pagerduty', Buffer.from(forged())) });
    expect(unknown.status).toBe(404);
    const unnamedEvent = await post(`${ingest()}/v1/events/replay`, forgedEvent, admin);
    expect(unnamedEvent.status).toBe(400);

    // A stored letter's id does not carry another body, nor go through another tool's mapping or the event route.
    const body = Buffer.from(JSON.stringify(alertGroup({ labels: { alertname: 'Kept', service: SERVICE }, startsAt: 'not an instant', fingerprint: 'dl0e2e03' })));
    const kept = await post(`${ingest()}/v1/webhooks/alertmanager`, body);
    const keptId = kept.body.keptAside.deadLetterId as string;
    await waitFor(async () => (await letters()).some((letter) => letter.id === keptId), 'the kept-aside body stored');
    const changed = Buffer.from(JSON.stringify(alertGroup({ labels: { alertname: 'Kept', service: SERVICE }, startsAt: '2025-06-01T10:00:00Z', fingerprint: 'dl0e2e03' })));
    const swapped = await post(`${ingest()}/v1/webhooks/replay/alertmanager`, changed, { ...admin, 'aftermath-dead-letter-id': keptId });
    expect(swapped.status).toBe(409);
    const otherTool = await post(`${ingest()}/v1/webhooks/replay/pagerduty`, body, { ...admin, 'aftermath-dead-letter-id': keptId });
    expect(otherTool.status).toBe(409);
    const asEvent = await post(`${ingest()}/v1/events/replay`, body, { ...admin, 'aftermath-dead-letter-id': keptId });
    expect(asEvent.status).toBe(409);
    // The stored letter itself, by its id: replayed.
    const own = await post(`${ingest()}/v1/webhooks/replay/alertmanager`, body, { ...admin, 'aftermath-dead-letter-id': keptId });
    expect([own.status, own.body.keptAside?.deadLetterId]).toEqual([202, keptId]);

    // Nothing the refused requests carried reached the events topic: a canary sent after them is there, they are not.
    expect((await post(`${ingest()}/v1/events`, note('dl-e2e-replay-canary'))).status).toBe(202);
    await suite.reader.waitForIds(['dl-e2e-replay-canary']);
    const published = suite.reader.messages.map((message) => message.value?.id as string);
    expect(published.filter((id) => id.startsWith('pagerduty-') || id === forgedEvent.id || id.startsWith('am-dl0e2e03'))).toEqual([]);
    expect(await ready(ingest())).toBe(200);
  }, 90_000);
});

describe("issue 23: the renderer's dead letters are listed, counted and replayed", () => {
  test('a message the renderer cannot take and one an older renderer refused: stored with their topic, listed, replayed onto incident-timeline.v1', async () => {
    const incidentId = 'inc-dl-e2e-renderer';
    const correlated = { incidentId, id: 'dl-e2e-renderer-event', type: 'incident.declared', occurredAt: '2025-06-01T10:00:00Z', source: 'api', service: 'dl-renderer-svc', data: { title: 'Refused by an older renderer' } };
    const producer = suite.infra.kafka.producer();
    await producer.connect();
    // Not a correlated event: the renderer dead-letters it to incident-timeline.dlq.v1 with the reason.
    await producer.send({ topic: suite.infra.topics.timeline, acks: -1, messages: [{ key: incidentId, value: '{"not": "an event"', partition: 0 }] });
    // A correlated event an older renderer refused (as KafkaBatchTransport writes its letters).
    const original = { key: Buffer.from(incidentId), value: Buffer.from(JSON.stringify(correlated)), headers: {}, offset: '7', timestamp: String(Date.now()), attributes: 0, size: 0 } as unknown as KafkaMessage;
    await producer.send({
      topic: suite.infra.topics.timelineDeadLetters,
      acks: -1,
      messages: [deadLetterMessage({ message: original, reason: 'SQLSTATE 54000: index row size exceeds btree maximum' }, { topic: suite.infra.topics.timeline, partition: 0 })],
    });
    await producer.disconnect();

    const [undecodable, refused] = await waitFor(async () => {
      const items = (await letters()).filter((letter) => letter.topic === RENDERER_DLQ);
      const notAnEvent = items.find((letter) => /JSON/.test(letter.reason));
      const older = items.find((letter) => letter.reason.startsWith('SQLSTATE 54000'));
      return notAnEvent && older ? [notAnEvent, older] : null;
    }, "the renderer's dead letters stored by the timeline");
    expect(undecodable).toMatchObject({ kind: 'event', source: suite.infra.topics.timeline });
    expect((await letterById(undecodable!.id)).body).toBe('{"not": "an event"');

    const listed = await cli('list', '--json');
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as Letter[]).filter((letter) => letter.topic === RENDERER_DLQ).map((letter) => letter.id).sort()).toEqual([undecodable!.id, refused!.id].sort());
    expect(await metric(timeline(), 'aftermath_timeline_dead_letters', { topic: RENDERER_DLQ, state: 'pending' })).toBe(2);

    // After the fix, the replay publishes the letter again onto incident-timeline.v1, and the renderer stores it.
    const replayed = await cli('replay', refused!.id);
    expect(replayed).toMatchObject({ code: 0, stdout: `${refused!.id}: republished to incident-timeline.v1\n` });
    await waitFor(async () => (await request(`${suite.stack.renderer}/v1/incidents/${incidentId}/summary`)).status === 200, 'the replayed event in the renderer');
    expect(await letterById(refused!.id)).toMatchObject({ replayedAt: expect.any(String) });
    expect(await metric(timeline(), 'aftermath_timeline_dead_letters', { topic: RENDERER_DLQ, state: 'replayed' })).toBe(1);

    // Replayed before a fix, the renderer refuses it again: it comes back as the same letter, not a new one.
    expect(await cli('replay', undecodable!.id)).toMatchObject({ code: 0, stdout: `${undecodable!.id}: republished to incident-timeline.v1\n` });
    const onRendererDlq = async () => (await suite.infra.admin.fetchTopicOffsets(suite.infra.topics.timelineDeadLetters)).reduce((sum, p) => sum + Number(p.high), 0);
    await waitFor(async () => (await onRendererDlq()) === 3, 'the renderer refusing the replayed letter again');
    await suite.infra.caughtUp(`timeline-${environment.name}.renderer-dead-letters`, suite.infra.topics.timelineDeadLetters);
    expect((await letters()).filter((letter) => letter.topic === RENDERER_DLQ).map((letter) => letter.id).sort()).toEqual([undecodable!.id, refused!.id].sort());
    expect(await ready(suite.stack.renderer!)).toBe(200);
    expect(await ready(timeline())).toBe(200);
  }, 90_000);
});
