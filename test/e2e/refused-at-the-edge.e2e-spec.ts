import { fixture } from '../../apps/ingest/test/fixtures/fixtures.js';
import {
  errorPaths,
  grafanaSignature,
  metric,
  PAGERDUTY_SECRETS,
  pagerDutySignature,
  post,
  request,
  runningIngest,
  type Reply,
} from '../../apps/ingest/test/support/ingest-kit.js';
import { testEnvironment, waitFor } from '../support/environment.js';

/*
 * Issue 12, "validation matches what is stored": each input that once passed validation and then
 * stopped a timeline partition for good (PostgreSQL refused it, the batch was retried forever) goes
 * through the real pipeline (ingest, Kafka, timeline, renderer, PostgreSQL). Each is now refused at
 * the edge, naming the field (a tool's webhook: kept aside with the reason, as everything a tool
 * sends that cannot be taken, since the tools do not resend a 4xx), or stored as the projection uses
 * it; after each, a canary event of the same service (the partition key, so the same partition) is
 * stored, every service is ready, and nothing else changed. docs/reliability.md lists these rows.
 */

const environment = testEnvironment('edge');
const suite = runningIngest(environment, ['ingest', 'timeline', 'renderer']);

const SERVICE = 'edge-svc';
let counter = 0;
const at = (minute: number) => new Date(Date.UTC(2025, 3, 5, 15, minute)).toISOString();
const note = (overrides: Record<string, unknown> = {}) => ({ id: `edge-${++counter}`, type: 'note.added', occurredAt: at(0), source: 'api', service: SERVICE, data: { text: 'x' }, ...overrides });

const amGroup = (alert: Record<string, unknown>) => {
  const group = fixture<{ alerts: Record<string, unknown>[] }>('alertmanager/firing.json');
  group.alerts = [{ ...group.alerts[0]!, ...alert, labels: { alertname: 'EdgeAlert', service: SERVICE } }];
  return group;
};
const grafana = (alert: Record<string, unknown>) => {
  const body = JSON.stringify({ ...fixture<object>('grafana/firing.json'), alerts: [{ ...fixture<{ alerts: object[] }>('grafana/firing.json').alerts[0], ...alert, labels: { alertname: 'EdgeAlert', service: SERVICE } }] });
  return { body, headers: { 'x-grafana-alerting-signature': grafanaSignature(body) } };
};
const pagerDuty = (occurredAt: string) => {
  const payload = fixture<{ event: Record<string, unknown> }>('pagerduty/incident-triggered.json');
  const body = JSON.stringify({ event: { ...payload.event, id: `edge-pd-${++counter}`, occurred_at: occurredAt } });
  return { body, headers: { authorization: undefined, 'x-pagerduty-signature': pagerDutySignature(body, PAGERDUTY_SECRETS[0]!) } };
};
const cloudEvent = (overrides: Record<string, unknown>) => ({
  specversion: '1.0',
  id: `edge-ce-${++counter}`,
  source: '/edge',
  type: 'note.added',
  time: at(1),
  subject: SERVICE,
  data: { text: 'x' },
  ...overrides,
});
const structured = { 'content-type': 'application/cloudevents+json' };

interface Finding {
  finding: string;
  send(): Promise<Reply>;
  /** 400 or 415 for our own APIs; 202 with `keptAside` for a tool's webhook. */
  status: number;
  /** The fields named: in the 400's errors, or in the parts kept aside. */
  paths?: string[];
  /** The service the input is about: the canary goes to the same partition. */
  service?: string;
}

const FINDINGS: Finding[] = [
  { finding: 'events: offset beyond ±15:59', send: () => post(url('/v1/events'), note({ occurredAt: '2025-04-05T15:28:00+16:00' })), status: 400, paths: ['occurredAt'] },
  { finding: 'events: 200 fractional digits', send: () => post(url('/v1/events'), note({ occurredAt: `2025-04-05T15:28:00.${'1'.repeat(200)}Z` })), status: 400, paths: ['occurredAt'] },
  { finding: 'alertmanager: startsAt +16:00', send: () => post(url('/v1/webhooks/alertmanager'), amGroup({ startsAt: '2025-04-05T15:28:00+16:00', fingerprint: 'edge1' })), status: 202, paths: ['alerts.0.startsAt'] },
  {
    finding: 'grafana: startsAt with 200 fractional digits',
    send: () => {
      const { body, headers } = grafana({ startsAt: `2025-04-05T15:28:00.${'9'.repeat(200)}Z`, fingerprint: 'edge2' });
      return post(url('/v1/webhooks/grafana'), body, headers);
    },
    status: 202,
    paths: ['alerts.0.startsAt'],
  },
  {
    finding: 'pagerduty: occurred_at -16:00',
    send: () => {
      const { body, headers } = pagerDuty('2025-04-05T15:30:00-16:00');
      return post(url('/v1/webhooks/pagerduty'), body, headers);
    },
    status: 202,
    paths: ['event.occurred_at'],
    service: 'order-service',
  },
  { finding: 'cloudevents: time +16:00', send: () => post(url('/v1/cloudevents'), cloudEvent({ time: '2025-04-05T15:28:00+16:00' }), structured), status: 400, paths: ['time'] },
  {
    finding: 'events: a root-cause category of 4 KB (the renderer indexes it)',
    send: () => post(url('/v1/events'), note({ type: 'root_cause.identified', data: { summary: 's', category: 'c'.repeat(4096) } })),
    status: 400,
    paths: ['data.category'],
  },
  { finding: 'events: a title of 2,000 characters', send: () => post(url('/v1/events'), note({ type: 'incident.declared', data: { title: 't'.repeat(2000) } })), status: 400, paths: ['data.title'] },
  {
    finding: 'events: 1e999 (Infinity) deep in loose data',
    send: () => post(url('/v1/events'), JSON.stringify(note({ data: { text: 'x', extra: { values: [1, '@INF@'] } } })).replace('"@INF@"', '1e999')),
    status: 400,
    paths: ['data.extra.values.1'],
  },
  { finding: 'events: a line break in the id', send: () => post(url('/v1/events'), note({ id: 'edge\nX-Injected: 1' })), status: 400, paths: ['id'] },
  { finding: 'events: a bidi override in the incidentKey', send: () => post(url('/v1/events'), note({ incidentKey: 'INC-\u202e1' })), status: 400, paths: ['incidentKey'] },
  {
    finding: 'events: dated two hours after receipt (MAX_CLOCK_SKEW_MINUTES 60)',
    send: () => post(url('/v1/events'), note({ occurredAt: new Date(Date.now() + 2 * 3600_000).toISOString() })),
    status: 400,
    paths: ['occurredAt'],
  },
  {
    finding: 'alertmanager: startsAt next year',
    send: () => post(url('/v1/webhooks/alertmanager'), amGroup({ startsAt: new Date(Date.now() + 365 * 86400_000).toISOString(), fingerprint: 'edge3' })),
    status: 202,
    paths: ['occurredAt'],
  },
  { finding: 'events: charset utf-16', send: () => post(url('/v1/events'), Buffer.from(JSON.stringify(note()), 'utf16le'), { 'content-type': 'application/json; charset=utf-16le' }), status: 415 },
  { finding: 'events: an id of the Alertmanager shape', send: () => post(url('/v1/events'), note({ id: 'am-c6eadffa33fcdf37-1743866880123-firing' })), status: 400, paths: ['id'] },
  { finding: 'events: a dedup: key', send: () => post(url('/v1/events'), note({ correlationKeys: ['dedup:0123abcd'] })), status: 400, paths: ['correlationKeys.0'] },
  { finding: 'cloudevents: a labels: key', send: () => post(url('/v1/cloudevents'), cloudEvent({ incidentkey: 'labels:cluster=eu' }), structured), status: 400, paths: ['incidentkey'] },
];

const url = (path: string) => `${suite.stack.ingest}${path}`;
/** The dead letters of the webhook bodies kept aside above. */
const keptAsideIds: string[] = [];

async function storedIds(): Promise<string[]> {
  return (await suite.infra.sql<{ event_id: string }>('SELECT event_id FROM events ORDER BY event_id')).map((row) => row.event_id);
}

/** A valid event of `service` behind the input, on the same partition: the pipeline moved if it is stored. */
async function canaryPasses(service: string): Promise<string> {
  const canary = note({ id: `edge-canary-${++counter}`, service });
  const reply = await post(url('/v1/events'), canary);
  expect(reply.status).toBe(202);
  await waitFor(async () => (await suite.infra.sql('SELECT 1 FROM events WHERE event_id = $1', [canary.id])).length === 1, `canary ${canary.id} to be stored`, 30_000);
  return canary.id;
}

/** Every service reports ready (polled: a readiness probe may time out once on a loaded machine). */
async function allReady(): Promise<void> {
  for (const base of [suite.stack.ingest, suite.stack.timeline, suite.stack.renderer]) {
    await waitFor(async () => (await request(`${base}/health/ready`)).status === 200, `${base}/health/ready to answer 200`);
  }
}

test.each(FINDINGS.map((finding) => [finding.finding, finding] as const))('%s: refused at the edge, naming the field; the partition moves on', async (_name, finding) => {
  const before = await storedIds();
  const reply = await finding.send();
  expect({ status: reply.status, detail: reply.status === finding.status ? '' : reply.text.slice(0, 300) }).toEqual({ status: finding.status, detail: '' });
  if (finding.status === 202) {
    expect(reply.body).toMatchObject({ accepted: 0, eventIds: [], keptAside: { deadLetterId: expect.any(String) } });
    keptAsideIds.push(reply.body.keptAside.deadLetterId);
    const named = (reply.body.keptAside.parts as { errors: { path: string }[] }[]).flatMap((part) => part.errors.map((issue) => issue.path));
    expect(named).toEqual(finding.paths);
  } else {
    expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    if (finding.paths) expect(errorPaths(reply)).toEqual(finding.paths);
  }
  const canary = await canaryPasses(finding.service ?? SERVICE);
  expect(await storedIds()).toEqual([...before, canary].sort());
  await allReady();
}, 60_000);

test('an instant with nanoseconds and the widest offset is stored as the projection uses it', async () => {
  const sent = note({ type: 'alert.triggered', occurredAt: '2025-04-05T15:28:00.123456789+15:59', incidentKey: 'EDGE-1', data: { alertName: 'EdgeAlert' } });
  const reply = await post(url('/v1/events'), sent);
  expect(reply.status).toBe(202);
  const [row] = await waitFor(async () => {
    const rows = await suite.infra.sql<{ payload: { occurredAt: string }; at_ms: string }>("SELECT payload, (extract(epoch FROM occurred_at) * 1000)::bigint::text AS at_ms FROM events WHERE event_id = $1", [sent.id]);
    return rows.length === 1 ? rows : null;
  }, 'the event to be stored');
  expect(row!.payload.occurredAt).toBe('2025-04-05T15:28:00.123+15:59');
  expect(Number(row!.at_ms)).toBe(Date.parse('2025-04-05T15:28:00.123+15:59'));
  const incident = await waitFor(async () => {
    const answer = await request(`${suite.stack.timeline}/v1/incidents/EDGE-1`);
    return answer.status === 200 ? answer.body : null;
  }, 'its incident');
  expect(incident.firstEventAt).toBe(new Date(Number(row!.at_ms)).toISOString());
  await canaryPasses(SERVICE);
  await allReady();
}, 60_000);

test('what reaches a document is inert: control and bidi characters, Obsidian comments and tags, YAML 1.1 booleans are taken but never reach the RCA raw', async () => {
  // Accepted as text (they are not ids or keys), so the partition takes them; the renderer must make them inert.
  const hostile = 'Ledger \u202egnp.exe\u202c bell\u0007 %%hidden from Obsidian%% #leak';
  const inert = [
    note({ type: 'incident.declared', incidentKey: 'INERT-1', occurredAt: at(10), data: { title: hostile, severity: 'P2', team: 'yes' } }),
    note({ type: 'root_cause.identified', incidentKey: 'INERT-1', occurredAt: at(12), data: { summary: `lock contention ${hostile}`, category: 'on', contributingFactors: ['\u2066isolated\u2069 #tag'] } }),
    note({ incidentKey: 'INERT-1', occurredAt: at(13), data: { text: `note %%x%% ${hostile}` } }),
    note({ type: 'status.changed', incidentKey: 'INERT-1', occurredAt: at(20), data: { status: 'resolved', note: hostile } }),
  ];
  expect((await post(url('/v1/events'), inert)).status).toBe(202);
  const markdown = await waitFor(async () => {
    const answer = await request(`${suite.stack.renderer}/v1/incidents/INERT-1/rca.md?preparedOn=2025-04-06`);
    return answer.status === 200 && answer.text.includes('lock contention') ? answer.text : null;
  }, 'the RCA of the hostile incident');
  // eslint-disable-next-line no-control-regex
  expect(markdown.match(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g)).toBeNull();
  expect(markdown).not.toContain('%%');
  expect(markdown).toContain('\\%\\%hidden from Obsidian\\%\\%');
  expect(markdown.match(/(?:^|[^\\])#(?:leak|tag)/gm)).toBeNull();
  const frontMatter = markdown.slice(0, markdown.indexOf('\n---\n', 4));
  expect(frontMatter).toContain('author: "yes"');
  expect(frontMatter).toMatch(/^tags: \[.*"on".*\]$/m);
  await canaryPasses(SERVICE);
  await allReady();
}, 60_000);

test('afterwards: only the webhook bodies kept aside reached the dead-letter topic, each listed with its reason, and the timeline never retried a batch', async () => {
  await suite.infra.timelineCaughtUp(60_000);
  const dlq = await suite.infra.admin.fetchTopicOffsets(suite.infra.topics.deadLetters);
  expect(dlq.reduce((sum, partition) => sum + Number(partition.high), 0)).toBe(keptAsideIds.length);
  const listed = await waitFor(async () => {
    const answer = await request(`${suite.stack.timeline}/v1/dead-letters?limit=100`);
    const items = (answer.body?.items ?? []) as { id: string; reason: string }[];
    return items.length === keptAsideIds.length ? items : null;
  }, 'the kept-aside bodies in GET /v1/dead-letters');
  expect(listed.map((item) => item.id).sort()).toEqual([...keptAsideIds].sort());
  for (const item of listed) expect(item.reason).toMatch(/occurred_at|startsAt|occurredAt/);
  expect(await metric(suite.stack.timeline!, 'aftermath_timeline_batch_retries_total')).toBe(0);
  expect(await suite.infra.sql('SELECT 1 FROM event_conflicts')).toEqual([]);
}, 60_000);
