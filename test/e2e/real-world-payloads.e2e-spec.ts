import { readdirSync, readFileSync } from 'node:fs';
import { grafanaSignature, PAGERDUTY_SECRETS, pagerDutySignature, post, request, runningIngest, type Reply } from '../../apps/ingest/test/support/ingest-kit.js';
import { testEnvironment, waitFor } from '../support/environment.js';

/*
 * Issue 11's "done when": the payloads real tools send (test/fixtures/real-world, each file's origin in
 * its README) go through a running ingest and timeline on the real broker and database. Every alert ends
 * either in an incident or visibly kept aside (a dead letter listed by the timeline), nothing is lost,
 * and sending every payload again changes nothing.
 */

const environment = testEnvironment('real_world');
const suite = runningIngest(environment, ['ingest', 'timeline']);
const DEAD_LETTER_GROUP = `timeline-${environment.name}.dead-letters`;

const ROOT = new URL('../fixtures/real-world/', import.meta.url);
const TOOLS = ['alertmanager', 'grafana', 'pagerduty', 'opsgenie', 'jsm'] as const;
const files = TOOLS.flatMap((tool) =>
  readdirSync(new URL(`${tool}/`, ROOT))
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({ tool, file: `${tool}/${name}`, body: readFileSync(new URL(`${tool}/${name}`, ROOT), 'utf8') })),
);

/** Each tool's authentication as it sends it: PagerDuty signs, Grafana signs and sends the token. */
function deliver(tool: (typeof TOOLS)[number], body: string): Promise<Reply> {
  const url = `${suite.stack.ingest}/v1/webhooks/${tool}`;
  if (tool === 'pagerduty') return post(url, body, { authorization: undefined, 'x-pagerduty-signature': pagerDutySignature(body, PAGERDUTY_SECRETS[0]!) });
  if (tool === 'grafana') return post(url, body, { 'x-grafana-alerting-signature': grafanaSignature(body) });
  return post(url, body);
}

interface Delivered {
  file: string;
  reply: Reply;
}
let first: Delivered[] = [];

const idsOf = (delivered: Delivered[]) => delivered.flatMap(({ reply }) => reply.body.eventIds as string[]);
const deadLettersOf = (delivered: Delivered[]) => delivered.flatMap(({ reply }) => (reply.body.keptAside ? [reply.body.keptAside.deadLetterId as string] : []));

async function lookup(ids: string[]): Promise<{ id: string; status: string; incidentId?: string }[]> {
  const reply = await request(`${suite.stack.timeline}/v1/events/lookup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ids }) });
  expect(reply.status).toBe(200);
  return reply.body.results;
}

/** What the timeline holds: incidents with their events, unattached events, dead letters. */
async function holdings() {
  await suite.infra.timelineCaughtUp(60_000);
  await suite.infra.caughtUp(DEAD_LETTER_GROUP, suite.infra.topics.deadLetters, 60_000);
  const incidents = await suite.infra.sql<{ id: string; event_ids: string[]; state: unknown }>(
    `SELECT i.id, array_agg(e.event_id ORDER BY e.event_id) AS event_ids, i.state FROM incidents i JOIN events e ON e.incident_id = i.id GROUP BY i.id ORDER BY i.id`,
  );
  const unattached = await suite.infra.sql<{ event_id: string }>('SELECT event_id FROM events WHERE incident_id IS NULL ORDER BY event_id');
  const deadLetters = await suite.infra.sql<{ id: string }>('SELECT id FROM dead_letters ORDER BY id');
  return { incidents, unattached: unattached.map((row) => row.event_id), deadLetters: deadLetters.map((row) => row.id) };
}

beforeAll(() => {
  suite.infra.groups.push(DEAD_LETTER_GROUP);
});

test('the suite holds at least 40 payloads, each with its origin in the README', () => {
  expect(files.length).toBeGreaterThanOrEqual(40);
  const readme = readFileSync(new URL('README.md', ROOT), 'utf8');
  const described = new Set([...readme.matchAll(/^\| `([^`]+\.json)` \| (.+?) \| (.+?) \|$/gm)].filter((row) => row[2]!.trim() && row[3]!.trim()).map((row) => row[1]));
  expect(files.map(({ file }) => file).filter((file) => !described.has(file))).toEqual([]);
});

test('every payload is answered 202: each alert published or kept aside, none lost', async () => {
  for (const { tool, file, body } of files) first.push({ file, reply: await deliver(tool, body) });
  for (const { file, reply } of first) {
    expect({ file, status: reply.status }).toEqual({ file, status: 202 });
    const payload = JSON.parse(files.find((entry) => entry.file === file)!.body);
    const parts = (reply.body.keptAside?.parts ?? []) as { at: string }[];
    if (Array.isArray(payload.alerts)) {
      // Per alert: the published plus the kept aside are all the group's alerts.
      const asideAlerts = parts.some((part) => part.at === '') ? payload.alerts.length : parts.length;
      expect({ file, total: reply.body.accepted + asideAlerts }).toEqual({ file, total: payload.alerts.length });
    } else {
      // One event per delivery, except PagerDuty's events that are not about an incident (ping, service.*).
      const aboutAnIncident = !/^(pagey|service)\./.test(payload.event?.event_type ?? '');
      expect({ file, total: reply.body.accepted + (parts.length > 0 ? 1 : 0) }).toEqual({ file, total: aboutAnIncident ? 1 : 0 });
    }
  }
  // What the README says is kept aside is, and only that.
  const keptAside = first.filter(({ reply }) => reply.body.keptAside).map(({ file }) => file);
  expect(keptAside.sort()).toEqual(['alertmanager/group-one-bad-alert.json', 'alertmanager/no-alertname.json', 'grafana/legacy-alerting.json', 'pagerduty/no-incident-id.json']);
}, 120_000);

test('every published event is stored, every alert in an incident, every kept-aside body listed with its reason', async () => {
  const ids = [...new Set(idsOf(first))];
  const results = await waitFor(async () => {
    const answer = await lookup(ids);
    return answer.every((result) => result.status !== 'unknown') ? answer : null;
  }, 'every published event on the timeline', 60_000);
  expect(results.filter((result) => result.status === 'conflict')).toEqual([]);
  // A firing alert always opens or joins an incident; a resolution whose firing the suite never sent
  // (kube-state-metrics-resolved) is stored and visible as unattached, waiting for its incident.
  const firing = new Set(ids.filter((id) => /^(am|grafana)-.*-firing$/.test(id) || /^(opsgenie|jsm)-.*-Create-/.test(id)));
  expect(results.filter((result) => firing.has(result.id) && result.status !== 'attached')).toEqual([]);
  const unattached = results.filter((result) => result.status === 'unattached').map((result) => result.id);
  const visible = (await request(`${suite.stack.timeline}/v1/unattached-events?limit=1000`)).body.items.map((event: { id: string }) => event.id);
  expect(unattached.filter((id) => !visible.includes(id))).toEqual([]);

  const listed = await waitFor(async () => {
    const items = (await request(`${suite.stack.timeline}/v1/dead-letters`)).body.items as { id: string; reason: string; source: string }[];
    return items.length >= new Set(deadLettersOf(first)).size ? items : null;
  }, 'the kept-aside bodies listed');
  expect(listed.map((item) => item.id).sort()).toEqual([...new Set(deadLettersOf(first))].sort());
  for (const item of listed) expect(item.reason.length).toBeGreaterThan(0);
}, 120_000);

test('sending every payload again changes nothing', async () => {
  const before = await holdings();
  expect(before.incidents.length).toBeGreaterThan(10);
  const again: Delivered[] = [];
  for (const { tool, file, body } of files) again.push({ file, reply: await deliver(tool, body) });
  expect(again.map(({ file, reply }) => [file, reply.status, reply.body.eventIds, reply.body.keptAside?.deadLetterId])).toEqual(
    first.map(({ file, reply }) => [file, reply.status, reply.body.eventIds, reply.body.keptAside?.deadLetterId]),
  );
  expect(await holdings()).toEqual(before);
}, 180_000);
