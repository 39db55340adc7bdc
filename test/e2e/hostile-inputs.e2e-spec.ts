import { correlateLog, type IncidentEvent } from '@app/domain';
import {
  bearer,
  errorPaths,
  grafanaSignature,
  metric,
  PAGERDUTY_SECRETS,
  pagerDutySignature,
  request,
  runningIngest,
  type Reply,
} from '../../apps/ingest/test/support/ingest-kit.js';
import { testEnvironment, waitFor } from '../support/environment.js';
import { exampleEvents } from '../support/fixtures.js';
import { incidentSnapshot, type IncidentSnapshot } from '../support/incident-snapshot.js';

/*
 * A table of malformed and hostile inputs against every ingest write endpoint and the timeline and
 * renderer read endpoints of one running pipeline (real broker, real database), each with the status
 * it must get. Valid requests in the table (injection in every free-text field, replays, boundary
 * sizes) are accepted; afterwards the store holds exactly the events of the valid requests, correlated
 * as the domain says, the injected text renders safely, and no 5xx appeared anywhere. A seed incident,
 * resolved with its draft stored, is read, sent again whole, forged (one of its ids with other content)
 * and named by refused inputs: everything a reader can learn of it is exactly as before.
 */

const environment = testEnvironment('hostile');

const observed: { name: string; status: number }[] = [];
const acceptedIds = new Set<string>();
/** The bodies tool webhooks kept aside (each once on the dead-letter topic per delivery). */
const deadLetterIds = new Set<string>();
let keptAsideDeliveries = 0;
let acceptedCount = 0;
let seedIds: string[] = [];
let before: Snapshot;
let seedBefore: IncidentSnapshot;
const SEED_KEY = 'INC-2025-0405-ORD';

const TABLES = ['events', 'incidents', 'incident_keys', 'timeline_outbox', 'event_conflicts', 'renderer_events', 'renderer_incidents', 'rca_drafts'] as const;
type Snapshot = { counts: Record<string, number>; eventIds: string[] };

async function snapshot(): Promise<Snapshot> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) counts[table] = (await suite.infra.sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;
  const eventIds = (await suite.infra.sql<{ event_id: string }>('SELECT event_id FROM events ORDER BY event_id')).map((row) => row.event_id);
  return { counts, eventIds };
}

/** Timeline and renderer have consumed everything, and the outbox is drained. */
async function settled(): Promise<void> {
  await suite.infra.timelineCaughtUp(60_000);
  await waitFor(async () => (await suite.infra.sql<{ n: number }>('SELECT count(*)::int AS n FROM timeline_outbox'))[0]!.n === 0, 'the outbox to drain', 60_000);
  await suite.infra.caughtUp(`renderer-${environment.name}`, suite.infra.topics.timeline, 60_000);
}

/** Read once `settled` holds: the renderer has committed its last batch, so nothing is on its way. */
const seedSnapshot = () => incidentSnapshot({ timeline: suite.stack.timeline!, renderer: suite.stack.renderer! }, suite.infra.sql, SEED_KEY);

const suite = runningIngest(environment, ['ingest', 'timeline', 'renderer']);

beforeAll(async () => {
  // Something to read and to leave untouched: the example incident, resolved, with a stored draft.
  const seed = exampleEvents();
  const reply = await request(`${suite.stack.ingest}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer() }, body: JSON.stringify(seed) });
  expect(reply.status).toBe(202);
  seedIds = reply.body.eventIds;
  await settled();
  await waitFor(async () => (await request(`${suite.stack.renderer}/v1/incidents/${SEED_KEY}/rca/versions/1.md`)).status === 200, 'the seed incident draft', 60_000);
  await settled();
  before = await snapshot();
  seedBefore = await seedSnapshot();
}, 120_000);


// ---------------------------------------------------------------------------------------------------
// Building blocks

/** Injection attempts for every free-text field: a table cell break, HTML, Handlebars, a wiki link, markdown, a line break. */
const X = 'a | b <script>alert(1)</script> {{constructor}} {{#with this}}{{/with}} [[x]] `tick` *star*\nsecond line';
const MiB = 1024 * 1024;
const deep = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
const deepObject = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
/** `json` with the placeholder string `"@DEEP@"` replaced by raw JSON text (too deep to build with JSON.stringify). */
const withRaw = (value: unknown, raw: string) => JSON.stringify(value).replace('"@DEEP@"', raw);
/** `text` with `marker` replaced by one raw byte that is never valid UTF-8 on its own. */
const withByte = (text: string, marker: string, byte = 0xff) =>
  Buffer.concat([Buffer.from(text.slice(0, text.indexOf(marker))), Buffer.from([byte]), Buffer.from(text.slice(text.indexOf(marker) + marker.length))]);

const at = (minute: number) => new Date(Date.UTC(2025, 3, 5, 15, 28 + minute)).toISOString();
let counter = 0;
const note = (overrides: Record<string, unknown> = {}) => ({ id: `hostile-${++counter}`, type: 'note.added', occurredAt: at(0), source: 'api', service: 'hostile-svc', data: { text: 'x' }, ...overrides });
const inj = (id: string, type: string, minute: number, data: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  id: `inj-${id}`,
  type,
  occurredAt: at(minute),
  source: 'api',
  service: 'inject-svc',
  incidentKey: 'INJ-2025-1',
  data,
  ...extra,
});
/** One incident whose every free-text field carries X. */
const injectedIncident = [
  inj('alert', 'alert.triggered', 0, { alertName: X, severity: X, summary: X, fingerprint: X, labels: { team: X } }, { actor: X, source: 'src | <script>' }),
  inj('page', 'page.sent', 1, { responder: X, escalationPolicy: X }, { actor: X }),
  inj('ack', 'page.acknowledged', 2, { responder: X }),
  inj('declared', 'incident.declared', 3, { title: X, severity: 'P2', team: X }),
  inj('cause', 'root_cause.identified', 4, { summary: X, category: X, contributingFactors: [X, X] }),
  inj('impact', 'impact.measured', 5, { metric: 'error_rate', unit: X, peak: 40, baseline: X }),
  inj('customers', 'customer_impact.reported', 6, { usersAffected: 10 }),
  inj('mitigation', 'mitigation.applied', 8, { action: X }),
  inj('note', 'note.added', 9, { text: X, extra: X }),
  inj('step', 'resolution.step', 10, { description: X }),
  inj('went-well', 'lesson.recorded', 11, { kind: 'went_well', text: X }),
  inj('to-improve', 'lesson.recorded', 12, { kind: 'to_improve', text: X }),
  inj('action|<b>x</b>', 'action_item.added', 13, { priority: 'P1', action: X, owner: X, dueDate: '2025-04-12' }),
  inj('resolved', 'status.changed', 14, { status: 'resolved', note: X }),
];

const amAlert = (overrides: Record<string, unknown> = {}) => ({
  status: 'firing',
  labels: { alertname: 'HostileAlert', service: 'hostile-am' },
  annotations: { summary: 'x' },
  startsAt: '2025-04-05T15:28:00Z',
  endsAt: '0001-01-01T00:00:00Z',
  fingerprint: 'ab12',
  ...overrides,
});
const amGroup = (alerts: unknown[], extra: Record<string, unknown> = {}) => ({ version: '4', status: 'firing', receiver: 'aftermath', alerts, ...extra });
const grafanaGroup = (alerts: unknown[]) => ({ ...amGroup(alerts), version: '1', orgId: 1, title: '[FIRING]', state: 'alerting', message: X });

const pdEvent = (overrides: Record<string, unknown> = {}, data: Record<string, unknown> = {}) => ({
  event: {
    id: `01HOSTILE${++counter}`,
    event_type: 'incident.annotated',
    resource_type: 'incident',
    occurred_at: '2025-04-05T15:37:00Z',
    agent: { id: 'PX', type: 'user_reference', summary: X },
    client: { name: 'PagerDuty' },
    data: { incident: { id: 'QHOSTILE', type: 'incident_reference', summary: X }, id: 'PNOTE', content: X, trimmed: false, type: 'incident_note', ...data },
    ...overrides,
  },
});
const ogPayload = (action: string, alert: Record<string, unknown> = {}) => ({
  action,
  alert: {
    alertId: 'hostile-og-1',
    message: X,
    tags: ['service:inject-svc'],
    entity: 'inject-svc',
    alias: 'hostile',
    createdAt: Date.UTC(2025, 3, 5, 15, 28) / 1000,
    updatedAt: Date.UTC(2025, 3, 5, 15, 36),
    username: X,
    note: X,
    priority: 'P2',
    ...alert,
  },
  source: { name: 'web', type: 'web' },
  integrationName: 'Aftermath',
});
const ce = (overrides: Record<string, unknown> = {}) => ({
  specversion: '1.0',
  id: `hostile-ce-${++counter}`,
  source: 'https://hostile.example.com/a|b/<script>',
  type: 'dev.aftermath.note.added',
  time: '2025-04-05T15:39:00Z',
  subject: 'inject-svc',
  incidentkey: 'INJ-2025-1',
  data: { text: X },
  ...overrides,
});

// ---------------------------------------------------------------------------------------------------
// The table

type Target = 'ingest' | 'timeline' | 'renderer';
interface Case {
  name: string;
  target: Target;
  path: string;
  method?: 'GET' | 'POST';
  body?: string | Buffer | object;
  /** Sent as given; POSTs get JSON and the bearer token unless a header is given as undefined. */
  headers?: Record<string, string | undefined>;
  status: number;
  /** For 400s: exactly these failing field paths (sorted); a string is a prefix every path must have. For a tool webhook's 202: the paths of what it kept aside. */
  paths?: string[] | string;
  /** For 202s: how many events are accepted (default: at least one, unless 0 is given). */
  accepted?: number;
}

const EP = {
  events: '/v1/events',
  am: '/v1/webhooks/alertmanager',
  grafana: '/v1/webhooks/grafana',
  pd: '/v1/webhooks/pagerduty',
  og: '/v1/webhooks/opsgenie',
  ce: '/v1/cloudevents',
};
const ingest = (name: string, path: string, body: Case['body'], status: number, more: Partial<Case> = {}): Case => ({ name, target: 'ingest', path, body, status, ...more });
const signedGrafana = (body: string | object) => {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return { body: text, headers: { 'x-grafana-alerting-signature': grafanaSignature(text) } };
};
const signedPd = (body: string | Buffer | object) => {
  const bytes = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  return { body: bytes, headers: { authorization: undefined, 'x-pagerduty-signature': pagerDutySignature(bytes, PAGERDUTY_SECRETS[0]!) } };
};
/** A signed webhook case: the body is built and signed once, so ids drawn from the counter match the signature. */
type Signer = (payload: never) => { body: string | Buffer; headers: Record<string, string | undefined> };
const signedCase = (sign: Signer, name: string, path: string, payload: string | Buffer | object, status: number, more: Partial<Case> = {}): Case => {
  const { body, headers } = sign(payload as never);
  return ingest(name, path, body, status, { ...more, headers: { ...headers, ...more.headers } });
};
const pdCase = (name: string, payload: string | Buffer | object, status: number, more: Partial<Case> = {}) => signedCase(signedPd, name, EP.pd, payload, status, more);
const grafanaCase = (name: string, payload: string | object, status: number, more: Partial<Case> = {}) =>
  signedCase(signedGrafana, name, EP.grafana, payload, status, more);
const ceStructured = { 'content-type': 'application/cloudevents+json' };
const ceBatch = { 'content-type': 'application/cloudevents-batch+json' };
const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

const amInjected = amGroup([amAlert({ labels: { alertname: X, service: 'inject-svc', incident_key: 'INJ-2025-1', team: X }, annotations: { summary: X, description: X }, fingerprint: 'inj1', startsAt: '2025-04-05T15:29:30Z' })]);
const grafanaInjected = signedGrafana(grafanaGroup([{ ...amAlert({ labels: { alertname: X, service: 'inject-svc', incident_key: 'INJ-2025-1' }, annotations: { summary: X }, fingerprint: 'inj2', startsAt: '2025-04-05T15:30:30Z' }), values: { A: 1 }, valueString: X }]));
const pdInjected = signedPd(pdEvent());
const ogInjected = ogPayload('AddNote');
const ceInjected = ce({ id: 'hostile-ce-injected' });

/** One of the seed's own ids, sent again with other content: a conflict, the first write wins. */
const forgedSeedEvent = (() => {
  const cause = exampleEvents().find((event) => event.type === 'root_cause.identified')! as { id: string; data: Record<string, unknown> };
  return { ...cause, data: { ...cause.data, summary: X } };
})();

const CASES: Case[] = [
  // aimed at the seed incident, which must come out exactly as it went in
  ingest('events: the seed log sent again (a client retrying everything)', EP.events, exampleEvents(), 202, { accepted: exampleEvents().length }),
  ingest('events: a seed event id re-sent with other content', EP.events, forgedSeedEvent, 202, { accepted: 1 }),
  ingest('events: the seed key on an event dated Feb 30', EP.events, note({ service: 'order-service', incidentKey: SEED_KEY, occurredAt: '2025-02-30T15:28:00Z' }), 400, { paths: ['occurredAt'] }),
  ingest('cloudevents: the seed key on an unknown type', EP.ce, ce({ subject: 'order-service', incidentkey: SEED_KEY, type: 'com.example.exploded' }), 400, { headers: ceStructured, paths: ['type'] }),
  ingest(
    'alertmanager: the seed alert with startsAt on Feb 30',
    EP.am,
    amGroup([amAlert({ labels: { alertname: 'OrderServiceHighErrorRate', service: 'order-service' }, fingerprint: '7f3c1a9e5b2d4c60', startsAt: '2025-02-30T15:28:00Z' })]),
    202,
    { accepted: 0, paths: ['alerts.0.startsAt'] },
  ),

  // POST /v1/events: wrong types
  ingest('events: id is a number', EP.events, note({ id: 42 }), 400, { paths: ['id'] }),
  ingest('events: occurredAt is an epoch number', EP.events, note({ occurredAt: 1743866880 }), 400, { paths: ['occurredAt'] }),
  ingest('events: data is a string', EP.events, note({ data: 'text' }), 400, { paths: ['data'] }),
  ingest('events: service is not a service name', EP.events, note({ service: 'Order Service' }), 400, { paths: ['service'] }),
  ingest('events: actor is an object', EP.events, note({ actor: { name: 'x' } }), 400, { paths: ['actor'] }),
  ingest('events: incidentKey is empty', EP.events, note({ incidentKey: '' }), 400, { paths: ['incidentKey'] }),
  ingest('events: id of 257 characters', EP.events, note({ id: 'i'.repeat(257) }), 400, { paths: ['id'] }),
  ingest('events: source of 65 characters', EP.events, note({ source: 's'.repeat(65) }), 400, { paths: ['source'] }),
  ingest('events: impact peak is a string', EP.events, note({ type: 'impact.measured', data: { metric: 'error_rate', unit: '%', peak: '48' } }), 400, { paths: ['data.peak'] }),
  ingest('events: negative users affected', EP.events, note({ type: 'customer_impact.reported', data: { usersAffected: -1 } }), 400, { paths: ['data.usersAffected'] }),
  ingest('events: a label that is not a string', EP.events, note({ type: 'alert.triggered', data: { alertName: 'A', labels: { x: 1 } } }), 400, { paths: ['data.labels.x'] }),
  ingest('events: the body is a JSON string', EP.events, '"just a string"', 400),
  ingest('events: the body is null', EP.events, 'null', 400),
  // missing fields
  ingest('events: an empty object', EP.events, {}, 400, { paths: ['type'] }),
  ingest('events: alert.triggered without data', EP.events, { id: 'hostile-nodata', type: 'alert.triggered', occurredAt: at(0), source: 'api', service: 'hostile-svc' }, 400, { paths: ['data.alertName'] }),
  ingest('events: action item without owner and due date', EP.events, note({ type: 'action_item.added', data: { priority: 'P1', action: 'x' } }), 400, { paths: ['data.dueDate', 'data.owner'] }),
  // timestamps
  ingest('events: occurredAt without offset', EP.events, note({ occurredAt: '2025-04-05T15:28:00' }), 400, { paths: ['occurredAt'] }),
  ingest('events: occurredAt on Feb 30', EP.events, note({ occurredAt: '2025-02-30T15:28:00Z' }), 400, { paths: ['occurredAt'] }),
  ingest('events: occurredAt in the year 0', EP.events, note({ occurredAt: '0000-01-01T00:00:00Z' }), 400, { paths: ['occurredAt'] }),
  ingest('events: occurredAt at 24:00', EP.events, note({ occurredAt: '2025-04-05T24:00:00Z' }), 400, { paths: ['occurredAt'] }),
  ingest('events: occurredAt on a leap second', EP.events, note({ occurredAt: '2016-12-31T23:59:60Z' }), 400, { paths: ['occurredAt'] }),
  ingest('events: occurredAt with a space for T', EP.events, note({ occurredAt: '2025-04-05 15:28:00Z' }), 400, { paths: ['occurredAt'] }),
  ingest('events: occurredAt in the year 10000', EP.events, note({ occurredAt: '+010000-01-01T00:00:00Z' }), 400, { paths: ['occurredAt'] }),
  ingest('events: due date on Feb 30', EP.events, note({ type: 'action_item.added', data: { priority: 'P1', action: 'x', owner: 'y', dueDate: '2025-02-30' } }), 400, { paths: ['data.dueDate'] }),
  // unknown types and fields
  ingest('events: an unknown type', EP.events, note({ type: 'alert.exploded' }), 400, { paths: ['type'] }),
  ingest('events: an unknown envelope field', EP.events, note({ extra: 1 }), 400, { paths: ['extra'] }),
  ingest('events: a __proto__ envelope field', EP.events, `{"__proto__":{"polluted":1},${JSON.stringify(note()).slice(1)}`, 400, { paths: ['__proto__'] }),
  ingest('events: a constructor envelope field', EP.events, note({ constructor: { prototype: {} } }), 400, { paths: ['constructor'] }),
  // what the store cannot hold
  ingest('events: NUL in a text', EP.events, note({ data: { text: 'a\u0000b' } }), 400, { paths: ['data.text'] }),
  ingest('events: an unpaired surrogate in a text', EP.events, JSON.stringify(note({ data: { text: '@S@' } })).replace('@S@', '\\ud800'), 400, { paths: ['data.text'] }),
  ingest('events: NUL in the id', EP.events, note({ id: 'nul\u0000id' }), 400, { paths: ['id'] }),
  ingest('events: invalid UTF-8 bytes', EP.events, withByte(JSON.stringify(note({ data: { text: 'caf@' } })), '@', 0xe9), 400, { paths: [''] }),
  // deep and huge
  ingest('events: 10,000 nested arrays as the body', EP.events, deep(10_000), 400, { paths: ['[0]'] }),
  ingest('events: 10,000 nested objects as the body', EP.events, deepObject(10_000), 400),
  ingest('events: 10,000 nested arrays inside data', EP.events, withRaw(note({ data: { text: 'x', deep: '@DEEP@' } }), deep(10_000)), 400, { paths: 'data.deep' }),
  ingest('events: 40 nested objects inside data', EP.events, withRaw(note({ data: { text: 'x', deep: '@DEEP@' } }), deepObject(40)), 400, { paths: 'data.deep' }),
  ingest('events: 20 nested arrays inside data are fine', EP.events, withRaw(note({ data: { text: 'x', deep: '@DEEP@' } }), deep(20)), 202, { accepted: 1 }),
  ingest('events: a body over 1 MiB', EP.events, JSON.stringify(note({ data: { text: 'x'.repeat(MiB) } })), 413),
  ingest('events: 1001 events', EP.events, Array.from({ length: 1001 }, () => note()), 400, { paths: [''] }),
  ingest('events: an empty array', EP.events, [], 400, { paths: [''] }),
  ingest('events: 1000 events (the limit)', EP.events, [note({ type: 'alert.triggered', service: 'bulk-svc', data: { alertName: 'Bulk' } }), ...Array.from({ length: 999 }, (_, i) => note({ service: 'bulk-svc', occurredAt: at(1 + (i % 50)) }))], 202, { accepted: 1000 }),
  ingest('events: not JSON', EP.events, '{"id": "x",', 400),
  ingest('events: XML', EP.events, '<event/>', 415, { headers: { 'content-type': 'application/xml' } }),
  ingest('events: no token', EP.events, note(), 401, { headers: { authorization: undefined } }),
  // injection in every free-text field of valid events: accepted, rendered safely later
  ingest('events: injection in every free-text field', EP.events, injectedIncident, 202, { accepted: injectedIncident.length }),

  // POST /v1/webhooks/alertmanager
  ingest('alertmanager: version 3 (relays rewrite it)', EP.am, amGroup([amAlert({ fingerprint: 'v3a1' })], { version: '3' }), 202, { accepted: 1 }),
  ingest('alertmanager: alerts is an object', EP.am, { version: '4', alerts: { 0: amAlert() } }, 202, { accepted: 0, paths: ['alerts'] }),
  ingest('alertmanager: no alerts field', EP.am, { version: '4', status: 'firing' }, 202, { accepted: 0, paths: ['alerts'] }),
  ingest('alertmanager: a numeric service label', EP.am, amGroup([amAlert({ labels: { alertname: 'A', service: 5 }, fingerprint: 'num1' })]), 202, { accepted: 1 }),
  ingest('alertmanager: no service label', EP.am, amGroup([amAlert({ labels: { alertname: 'A' }, fingerprint: 'nosvc1' })]), 202, { accepted: 1 }),
  ingest('alertmanager: startsAt on Feb 30', EP.am, amGroup([amAlert({ startsAt: '2025-02-30T15:28:00Z' })]), 202, { accepted: 0, paths: ['alerts.0.startsAt'] }),
  ingest('alertmanager: startsAt in the year 0', EP.am, amGroup([amAlert({ startsAt: '0000-01-01T00:00:00Z' })]), 202, { accepted: 0, paths: ['alerts.0.startsAt'] }),
  ingest('alertmanager: resolved with the zero end time', EP.am, amGroup([amAlert({ status: 'resolved' })]), 202, { accepted: 0, paths: ['alerts.0.endsAt'] }),
  ingest('alertmanager: NUL in a label', EP.am, amGroup([amAlert({ labels: { alertname: 'A', service: 'hostile-am', team: 'a\u0000' } })]), 202, { accepted: 0, paths: ['alerts.0.labels.team'] }),
  ingest('alertmanager: invalid UTF-8 bytes', EP.am, withByte(JSON.stringify(amGroup([amAlert({ annotations: { summary: '@' } })])), '@'), 400, { paths: [''] }),
  ingest('alertmanager: 10,000 nested arrays', EP.am, deep(10_000), 202, { accepted: 0, paths: [''] }),
  ingest('alertmanager: an empty alerts array', EP.am, amGroup([]), 202, { accepted: 0 }),
  ingest('alertmanager: 1001 alerts in one group (a group is never split)', EP.am, amGroup(Array.from({ length: 1001 }, (_, i) => amAlert({ labels: { alertname: 'Storm', service: 'storm-svc' }, fingerprint: `st${i}` }))), 202, { accepted: 1001 }),
  ingest('alertmanager: injection in labels and annotations', EP.am, amInjected, 202, { accepted: 1 }),
  ingest('alertmanager: the same group replayed', EP.am, amInjected, 202, { accepted: 1 }),

  // POST /v1/webhooks/grafana (bearer token and HMAC)
  ingest('grafana: a forged signature', EP.grafana, grafanaInjected.body, 401, { headers: { 'x-grafana-alerting-signature': grafanaSignature(grafanaInjected.body, 'forged') } }),
  ingest('grafana: signed, then modified', EP.grafana, grafanaInjected.body.replace('inj2', 'inj3'), 401, { headers: grafanaInjected.headers }),
  ingest('grafana: injection, signed', EP.grafana, grafanaInjected.body, 202, { headers: grafanaInjected.headers, accepted: 1 }),
  ingest('grafana: the same notification replayed', EP.grafana, grafanaInjected.body, 202, { headers: grafanaInjected.headers, accepted: 1 }),
  grafanaCase('grafana: an alert without fingerprint (derived from its labels)', grafanaGroup([{ ...amAlert(), fingerprint: undefined }]), 202, { accepted: 1 }),
  grafanaCase('grafana: 10,000 nested arrays, signed', deep(10_000), 202, { accepted: 0, paths: [''] }),

  // POST /v1/webhooks/pagerduty (v3 signature)
  ingest('pagerduty: a forged signature', EP.pd, pdInjected.body, 401, { headers: { authorization: undefined, 'x-pagerduty-signature': pagerDutySignature(pdInjected.body, 'forged') } }),
  ingest('pagerduty: a signature by a rotated-out secret', EP.pd, pdInjected.body, 401, { headers: { authorization: undefined, 'x-pagerduty-signature': pagerDutySignature(pdInjected.body, 'pd-secret-retired') } }),
  ingest('pagerduty: injection in a note, signed', EP.pd, pdInjected.body, 202, { headers: pdInjected.headers, accepted: 1 }),
  ingest('pagerduty: the same delivery replayed', EP.pd, pdInjected.body, 202, { headers: pdInjected.headers, accepted: 1 }),
  pdCase('pagerduty: an unknown incident event type', pdEvent({ event_type: 'incident.exploded' }), 202, { accepted: 1 }),
  pdCase('pagerduty: occurred_at without offset', pdEvent({ occurred_at: '2025-04-05T15:37:00' }), 202, { accepted: 0, paths: ['event.occurred_at'] }),
  pdCase('pagerduty: occurred_at in the year 0', pdEvent({ occurred_at: '0000-01-01T00:00:00Z' }), 202, { accepted: 0, paths: ['event.occurred_at'] }),
  pdCase('pagerduty: assignees is a string (ignored: not needed)', pdEvent({ event_type: 'incident.triggered' }, { assignees: 'Dana' }), 202, { accepted: 1 }),
  pdCase('pagerduty: no event', { events: [] }, 202, { accepted: 0, paths: ['event'] }),
  pdCase('pagerduty: invalid UTF-8 bytes, signed', withByte(JSON.stringify(pdEvent({}, { content: '@' })), '@'), 400, { paths: [''] }),

  // POST /v1/webhooks/opsgenie
  ingest('opsgenie: injection in a note', EP.og, ogInjected, 202, { accepted: 1 }),
  ingest('opsgenie: the same delivery replayed', EP.og, ogInjected, 202, { accepted: 1 }),
  ingest('opsgenie: an unknown action', EP.og, ogPayload('Explode', { updatedAt: Date.UTC(2025, 3, 5, 15, 37) }), 202, { accepted: 1 }),
  ingest('opsgenie: a negative createdAt', EP.og, ogPayload('Create', { createdAt: -1 }), 202, { accepted: 0, paths: ['alert.createdAt'] }),
  ingest('opsgenie: a createdAt no date can hold', EP.og, ogPayload('Create', { createdAt: '9999999999999999999999' }), 202, { accepted: 0, paths: ['alert.createdAt'] }),
  ingest('opsgenie: a createdAt of 1e400', EP.og, JSON.stringify(ogPayload('Create', { createdAt: '@N@' })).replace('"@N@"', '1e400'), 202, { accepted: 0, paths: ['alert.createdAt'] }),
  ingest('opsgenie: no alert', EP.og, { action: 'Create' }, 202, { accepted: 0, paths: ['alert'] }),
  ingest('opsgenie: tags is a string (ignored: not needed)', EP.og, ogPayload('Create', { tags: 'service:x' }), 202, { accepted: 1 }),

  // POST /v1/cloudevents
  ingest('cloudevents: injection, structured', EP.ce, ceInjected, 202, { headers: ceStructured, accepted: 1 }),
  ingest('cloudevents: the same event replayed', EP.ce, ceInjected, 202, { headers: ceStructured, accepted: 1 }),
  ingest('cloudevents: time without offset', EP.ce, ce({ time: '2025-04-05T15:39:00' }), 400, { headers: ceStructured, paths: ['time'] }),
  ingest('cloudevents: time on Feb 30', EP.ce, ce({ time: '2025-02-30T15:39:00Z' }), 400, { headers: ceStructured, paths: ['time'] }),
  ingest('cloudevents: specversion 0.3', EP.ce, ce({ specversion: '0.3' }), 400, { headers: ceStructured, paths: ['specversion'] }),
  ingest('cloudevents: data_base64', EP.ce, ce({ data: undefined, data_base64: 'eyJ0ZXh0IjoieCJ9' }), 400, { headers: ceStructured, paths: ['data_base64'] }),
  ingest('cloudevents: an unknown type', EP.ce, ce({ type: 'com.example.exploded' }), 400, { headers: ceStructured, paths: ['type'] }),
  ingest('cloudevents: a subject with no usable name', EP.ce, ce({ subject: '***' }), 400, { headers: ceStructured, paths: ['subject'] }),
  ingest('cloudevents: an unpaired surrogate in incidentkey', EP.ce, JSON.stringify(ce({ incidentkey: '@S@' })).replace('@S@', '\\udc00'), 400, { headers: ceStructured, paths: ['incidentkey'] }),
  ingest('cloudevents: 10,000 nested arrays in data', EP.ce, withRaw(ce({ data: { text: 'x', deep: '@DEEP@' } }), deep(10_000)), 400, { headers: ceStructured, paths: 'data.deep' }),
  ingest('cloudevents: a batch of 1001', EP.ce, Array.from({ length: 1001 }, () => ce()), 400, { headers: ceBatch, paths: [''] }),
  ingest('cloudevents: an empty batch', EP.ce, [], 202, { headers: ceBatch, accepted: 0 }),
  ingest('cloudevents: a batch that is an object', EP.ce, ce(), 400, { headers: ceBatch, paths: [''] }),
  ingest('cloudevents: binary mode with text data', EP.ce, 'hello', 415, { headers: { 'content-type': 'text/plain', 'ce-specversion': '1.0', 'ce-id': 'b1', 'ce-source': '/s', 'ce-type': 'note.added', 'ce-time': at(0), 'ce-subject': 'hostile-svc' } }),
  ingest('cloudevents: binary mode with invalid UTF-8 bytes', EP.ce, withByte('{"text":"@"}', '@'), 400, { headers: { 'ce-specversion': '1.0', 'ce-id': 'b2', 'ce-source': '/s', 'ce-type': 'note.added', 'ce-time': at(0), 'ce-subject': 'hostile-svc' }, paths: [''] }),
  ingest('cloudevents: binary mode, percent-encoded injection', EP.ce, { text: X }, 202, { headers: { 'ce-specversion': '1.0', 'ce-id': 'b3', 'ce-source': '/s', 'ce-type': 'note.added', 'ce-time': at(9), 'ce-subject': 'inject-svc', 'ce-incidentkey': encodeURIComponent('INJ-2025-1') }, accepted: 1 }),

  // GET on the timeline: query-string abuse
  ...(
    [
      ['limit=-1', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['limit=1.5', 'limit'],
      ['limit=', 'limit'],
      ['limit=1&limit=2', 'limit'],
      ['cursor=garbage', 'cursor'],
      [`cursor=${cursorOf(['not a date', 'x'])}`, 'cursor'],
      [`cursor=${'a'.repeat(1025)}`, 'cursor'],
      ['status=bogus', 'status'],
      ['status=OPEN', 'status'],
      ['service=', 'service'],
      [`service=${'s'.repeat(129)}`, 'service'],
      ['foo=1', 'foo'],
    ] as const
  ).map(([query, field]): Case => ({ name: `timeline: /v1/incidents?${query.slice(0, 40)}`, target: 'timeline', path: `/v1/incidents?${query}`, status: 400, paths: [field] })),
  { name: 'timeline: a nested query parameter', target: 'timeline', path: '/v1/incidents?service[a]=b', status: 400 },
  { name: 'timeline: unattached-events?limit=abc', target: 'timeline', path: '/v1/unattached-events?limit=abc', status: 400, paths: ['limit'] },
  { name: 'timeline: unattached-events?limit=1001', target: 'timeline', path: '/v1/unattached-events?limit=1001', status: 400, paths: ['limit'] },
  { name: 'timeline: an unknown incident', target: 'timeline', path: '/v1/incidents/INC-NOPE', status: 404 },
  { name: 'timeline: the events of an unknown incident', target: 'timeline', path: '/v1/incidents/INC-NOPE/events', status: 404 },
  { name: 'timeline: an id of 5000 characters', target: 'timeline', path: `/v1/incidents/${'a'.repeat(5000)}`, status: 400, paths: ['id'] },
  { name: 'timeline: an id that is not UTF-8', target: 'timeline', path: '/v1/incidents/%FF%FE', status: 400 },
  { name: 'timeline: an id with a line break', target: 'timeline', path: `/v1/incidents/${encodeURIComponent(X)}`, status: 400, paths: ['id'] },
  { name: 'timeline: an id with injection', target: 'timeline', path: `/v1/incidents/${encodeURIComponent('a | b <script>{{constructor}} [[x]]')}`, status: 404 },
  { name: 'timeline: an incident id holding NUL (%00)', target: 'timeline', path: '/v1/incidents/%00', status: 400, paths: ['id'] },
  { name: 'timeline: the events of an id holding NUL', target: 'timeline', path: '/v1/incidents/%00/events', status: 400, paths: ['id'] },
  { name: 'timeline: service=%00', target: 'timeline', path: '/v1/incidents?service=%00', status: 400, paths: ['service'] },
  { name: 'timeline: a cursor in the year 0', target: 'timeline', path: `/v1/incidents?cursor=${cursorOf(['0000-01-01T00:00:00Z', 'x'])}`, status: 400, paths: ['cursor'] },
  { name: 'timeline: a cursor on Feb 30', target: 'timeline', path: `/v1/incidents?cursor=${cursorOf(['2025-02-30', 'x'])}`, status: 400, paths: ['cursor'] },
  { name: 'timeline: a cursor whose id holds NUL', target: 'timeline', path: `/v1/incidents?cursor=${cursorOf(['2025-04-05T15:28:00.000Z', 'a\u0000'])}`, status: 400, paths: ['cursor'] },
  { name: 'timeline: POST to a read endpoint', target: 'timeline', path: '/v1/incidents', method: 'POST', body: {}, status: 404 },

  // GET on the renderer
  { name: 'renderer: preparedOn on Feb 30', target: 'renderer', path: '/v1/incidents/INC-2025-0405-ORD/rca.md?preparedOn=2025-02-30', status: 400, paths: ['preparedOn'] },
  { name: 'renderer: preparedOn not a date', target: 'renderer', path: '/v1/incidents/INC-2025-0405-ORD/rca.md?preparedOn=yesterday', status: 400, paths: ['preparedOn'] },
  { name: 'renderer: preparedOn twice', target: 'renderer', path: '/v1/incidents/INC-2025-0405-ORD/rca.md?preparedOn=2025-04-06&preparedOn=2025-04-07', status: 400, paths: ['preparedOn'] },
  { name: 'renderer: preparedOn with a time', target: 'renderer', path: '/v1/incidents/INC-2025-0405-ORD/rca.md?preparedOn=2025-04-06T00:00:00Z', status: 400, paths: ['preparedOn'] },
  { name: 'renderer: the RCA of an unknown incident', target: 'renderer', path: '/v1/incidents/INC-NOPE/rca.md', status: 404 },
  { name: 'renderer: the summary of an unknown incident', target: 'renderer', path: '/v1/incidents/INC-NOPE/summary', status: 404 },
  { name: 'renderer: the markdown summary of an unknown incident', target: 'renderer', path: '/v1/incidents/INC-NOPE/summary.md', status: 404 },
  { name: 'renderer: draft version abc', target: 'renderer', path: '/v1/incidents/INC-2025-0405-ORD/rca/versions/abc.md', status: 404 },
  { name: 'renderer: draft version 0', target: 'renderer', path: '/v1/incidents/INC-2025-0405-ORD/rca/versions/0.md', status: 404 },
  { name: 'renderer: draft version -1', target: 'renderer', path: '/v1/incidents/INC-2025-0405-ORD/rca/versions/-1.md', status: 404 },
  { name: 'renderer: draft version 1e3', target: 'renderer', path: '/v1/incidents/INC-2025-0405-ORD/rca/versions/1e3.md', status: 404 },
  { name: 'renderer: an id that is not UTF-8', target: 'renderer', path: '/v1/incidents/%FF%FE/rca.md', status: 400 },
  { name: 'renderer: the RCA of an id holding NUL', target: 'renderer', path: '/v1/incidents/%00/rca.md', status: 400, paths: ['id'] },
  { name: 'renderer: the summary of an id holding NUL', target: 'renderer', path: '/v1/incidents/%00/summary', status: 400, paths: ['id'] },
  // Number('99999999999999999999') is an integer to JavaScript, out of range for PostgreSQL's integer column.
  { name: 'renderer: draft version 99999999999999999999', target: 'renderer', path: '/v1/incidents/INC-2025-0405-ORD/rca/versions/99999999999999999999.md', status: 404 },
];

async function send(entry: Case): Promise<Reply> {
  const base = entry.target === 'ingest' ? suite.stack.ingest : entry.target === 'timeline' ? suite.stack.timeline : suite.stack.renderer;
  const method = entry.method ?? (entry.target === 'ingest' ? 'POST' : 'GET');
  const headers = method === 'POST' ? { 'content-type': 'application/json', ...bearer(), ...entry.headers } : { ...entry.headers };
  const body = entry.body === undefined || typeof entry.body === 'string' || Buffer.isBuffer(entry.body) ? entry.body : JSON.stringify(entry.body);
  const reply = await request(`${base}${entry.path}`, {
    method,
    headers: Object.fromEntries(Object.entries(headers).filter((pair): pair is [string, string] => pair[1] !== undefined)),
    body: body as string | Buffer | undefined,
  });
  observed.push({ name: entry.name, status: reply.status });
  return reply;
}

function check(entry: Case, reply: Reply): void {
  const brief = reply.text.slice(0, 300);
  expect({ case: entry.name, status: reply.status, body: reply.status === entry.status ? '' : brief }).toEqual({ case: entry.name, status: entry.status, body: '' });
  if (reply.status >= 400) expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  if (entry.status === 400 && entry.paths !== undefined) {
    const paths = errorPaths(reply).sort();
    if (typeof entry.paths === 'string') {
      expect(paths.length).toBeGreaterThan(0);
      for (const path of paths) expect(path.startsWith(entry.paths)).toBe(true);
    } else expect(paths).toEqual([...entry.paths].sort());
  }
  if (entry.status === 202) {
    if (entry.accepted !== undefined) expect(reply.body.accepted).toBe(entry.accepted);
    // A tool webhook keeps aside, by path, what it could not map; anything else it keeps aside is a failure.
    const keptAside = ((reply.body.keptAside?.parts ?? []) as { errors: { path: string }[] }[]).flatMap((part) => part.errors.map((issue) => issue.path)).sort();
    expect({ case: entry.name, keptAside }).toEqual({ case: entry.name, keptAside: Array.isArray(entry.paths) ? [...entry.paths].sort() : [] });
    if (reply.body.keptAside) {
      deadLetterIds.add(reply.body.keptAside.deadLetterId as string);
      keptAsideDeliveries++;
    }
    for (const id of reply.body.eventIds as string[]) acceptedIds.add(id);
    acceptedCount += reply.body.accepted as number;
  }
}

test('the table has at least 60 hostile inputs, over every write and read endpoint', () => {
  expect(CASES.length).toBeGreaterThanOrEqual(60);
  const covered = new Set(CASES.map((entry) => `${entry.target} ${entry.path.split('?')[0]!.replace(/\/v1\/incidents\/[^/]+/, '/v1/incidents/:id').replace(/versions\/.*$/, 'versions/:n')}`));
  for (const endpoint of Object.values(EP)) expect(covered).toContain(`ingest ${endpoint}`);
  for (const endpoint of ['timeline /v1/incidents', 'timeline /v1/incidents/:id', 'timeline /v1/incidents/:id/events', 'timeline /v1/unattached-events', 'renderer /v1/incidents/:id/rca.md', 'renderer /v1/incidents/:id/summary', 'renderer /v1/incidents/:id/summary.md', 'renderer /v1/incidents/:id/rca/versions/:n']) {
    expect(covered).toContain(endpoint);
  }
});

test.each(CASES.map((entry, index) => [index + 1, entry.name, entry] as const))('#%i %s', async (_index, _name, entry) => {
  check(entry, await send(entry));
}, 60_000);

describe('afterwards', () => {
  test('the store holds exactly the events of the valid requests, correlated as the domain says', async () => {
    await settled();
    const after = await snapshot();
    const expectedIds = [...new Set([...before.eventIds, ...acceptedIds])].sort();
    expect(after.eventIds).toEqual(expectedIds);
    expect(after.counts.events - before.counts.events).toBe(expectedIds.length - before.eventIds.length);
    // The forged seed event is the one conflict: recorded, never stored over the first write.
    expect(await suite.infra.sql('SELECT event_id FROM event_conflicts')).toEqual([{ event_id: forgedSeedEvent.id }]);
    expect(after.counts.timeline_outbox).toBe(0);
    // Kafka holds the events of the 202s and nothing else; the dead-letter topic holds the bodies the
    // webhooks kept aside, one message per delivery, and the timeline lists each body once.
    expect(await suite.infra.eventsOnTopic()).toBe(seedIds.length + acceptedCount);
    const dlq = await suite.infra.admin.fetchTopicOffsets(suite.infra.topics.deadLetters);
    expect(dlq.reduce((sum, partition) => sum + Number(partition.high), 0)).toBe(keptAsideDeliveries);
    const listed = await waitFor(async () => {
      const items = ((await request(`${suite.stack.timeline}/v1/dead-letters?limit=1000`)).body.items ?? []) as { id: string }[];
      return items.length >= deadLetterIds.size ? items : null;
    }, 'the kept-aside bodies listed on the timeline');
    expect(listed.map((item) => item.id).sort()).toEqual([...deadLetterIds].sort());

    // Incidents: those the domain's correlation makes of exactly these events, no more, no fewer.
    const envelopes = new Map<string, IncidentEvent>();
    // The first of an id on the topic is the one stored (the forged seed event comes later on the same partition).
    for (const message of suite.reader.messages) if (!envelopes.has(message.value.id)) envelopes.set(message.value.id, message.value);
    expect([...envelopes.keys()].sort()).toEqual(expectedIds);
    const expected = correlateLog([...envelopes.values()], { marginMinutes: 30 });
    const rows = await suite.infra.sql<{ event_id: string; incident_id: string | null }>('SELECT event_id, incident_id FROM events');
    const groups = new Map<string, string[]>();
    for (const row of rows) if (row.incident_id) groups.set(row.incident_id, [...(groups.get(row.incident_id) ?? []), row.event_id]);
    const asSets = (lists: string[][]) => lists.map((ids) => [...ids].sort().join(',')).sort();
    expect(after.counts.incidents).toBe(expected.incidents.length);
    expect(asSets([...groups.values()])).toEqual(asSets(expected.incidents.map((incident) => incident.events.map((event) => event.id))));
    expect(rows.filter((row) => !row.incident_id).map((row) => row.event_id).sort()).toEqual(expected.unattached.map((event) => event.id).sort());
    // The renderer has its copy of every attached event.
    expect(after.counts.renderer_events).toBe(rows.filter((row) => row.incident_id).length);
    expect(after.counts.renderer_incidents).toBe(after.counts.incidents);

    // The timeline never had to retry a batch (an unstorable event would be retried forever).
    expect(await metric(suite.stack.timeline!, 'aftermath_timeline_batch_retries_total')).toBe(0);
    expect(await metric(suite.stack.timeline!, 'aftermath_timeline_events_total', { outcome: 'dead_letter' })).toBe(0);
    expect(await metric(suite.stack.timeline!, 'aftermath_timeline_events_total', { outcome: 'conflict' })).toBe(1);
  }, 120_000);

  test('the seed incident, read, sent again, forged and named by refused inputs, is exactly as before: state, events, keys, renderer copy, summary, RCA and drafts', async () => {
    await settled();
    expect(await seedSnapshot()).toEqual(seedBefore);
  }, 120_000);

  test('injected text is accepted and renders safely: no raw HTML, tables keep their columns, templates stay text', async () => {
    const rcaPath = `${suite.stack.renderer}/v1/incidents/INJ-2025-1/rca.md?preparedOn=2025-04-06`;
    const markdown = await waitFor(async () => {
      const reply = await request(rcaPath);
      return reply.status === 200 && reply.text.includes('Action Items') ? reply.text : null;
    }, 'the RCA of the injected incident', 60_000);
    observed.push({ name: 'rca of the injected incident', status: 200 });
    expect(markdown.toLowerCase()).not.toContain('<script');
    expect(markdown).toContain('&lt;script&gt;');
    expect(markdown).toContain('{{constructor}}');
    expect(markdown).not.toMatch(/function Object|\[native code\]/);

    const body = markdown.slice(markdown.indexOf('\n---\n') + 5).replace(/```[^\n]*\n[\s\S]*?\n```/g, '');
    expect(body).not.toContain('[[x]]');
    const cells = (row: string) => row.match(/(?<!\\)\|/g)?.length ?? 0;
    const tables: string[][] = [];
    let current: string[] = [];
    for (const line of [...markdown.split('\n'), '']) {
      if (line.startsWith('|')) current.push(line);
      else if (current.length > 0) tables.push(current), (current = []);
    }
    expect(tables.length).toBeGreaterThanOrEqual(3);
    for (const table of tables) for (const row of table) expect([row, cells(row)]).toEqual([row, cells(table[0]!)]);
    // The injected action item is in its table, in one row.
    expect(tables.some((table) => table.some((row) => row.startsWith('| P1 |')))).toBe(true);

    const summaryMd = await request(`${suite.stack.renderer}/v1/incidents/INJ-2025-1/summary.md`);
    expect(summaryMd.status).toBe(200);
    expect(summaryMd.text.toLowerCase()).not.toContain('<script');
    // JSON is data, not markup: the text comes back exactly as sent, for the client to escape.
    const summary = await request(`${suite.stack.renderer}/v1/incidents/INJ-2025-1/summary`);
    expect([summary.status, summary.headers.get('content-type')?.split(';')[0]]).toEqual([200, 'application/json']);
    expect(summary.body.title).toContain('<script>alert(1)</script> {{constructor}}');
    const versions = await request(`${suite.stack.renderer}/v1/incidents/INJ-2025-1/rca/versions`);
    expect(versions.status).toBe(200);
    for (const [name, reply] of Object.entries({ summaryMd, summary, versions })) observed.push({ name: `renderer ${name} of the injected incident`, status: reply.status });
    const incident = await request(`${suite.stack.timeline}/v1/incidents/INJ-2025-1`);
    observed.push({ name: 'timeline injected incident', status: incident.status });
    expect(incident.status).toBe(200);
    expect(incident.body.eventCount).toBeGreaterThanOrEqual(injectedIncident.length);
  }, 120_000);

  test('no 5xx anywhere: not in the table, not in ingest metrics', async () => {
    expect(observed.filter((entry) => entry.status >= 500)).toEqual([]);
    expect(await metric(suite.stack.ingest!, 'aftermath_ingest_requests_total', { status: /^5/ })).toBe(0);
  });
});
