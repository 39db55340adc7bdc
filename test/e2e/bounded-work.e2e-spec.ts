import { errorPaths, post, request, runningIngest } from '../../apps/ingest/test/support/ingest-kit.js';
import { testEnvironment, waitFor } from '../support/environment.js';

/*
 * Issue 12, "bounded work per request and per event", through the real pipeline: an incident of
 * 2,500 events is read page by page (GET /v1/incidents/:id/events), its state keeps the first 500
 * notes and counts the rest, and its RCA says so; the web workspace still shows the whole incident; the
 * partition keeps moving and every service stays ready.
 */

const environment = testEnvironment('bounded');
const suite = runningIngest(environment, ['ingest', 'timeline', 'renderer', 'web']);
const NOTES = 2_499;

const at = (second: number) => new Date(Date.UTC(2025, 5, 1, 10) + second * 1000).toISOString();
const events = [
  { id: 'bounded-alert', type: 'alert.triggered', occurredAt: at(0), source: 'api', service: 'bounded-svc', incidentKey: 'INC-BOUNDED', data: { alertName: 'Flood' } },
  // Notes sharing instants, so pages must break ties by id as the domain does.
  ...Array.from({ length: NOTES }, (_, i) => ({ id: `bounded-note-${String(i).padStart(5, '0')}`, type: 'note.added', occurredAt: at(1 + Math.floor(i / 3)), source: 'api', service: 'bounded-svc', incidentKey: 'INC-BOUNDED', data: { text: `note ${i}` } })),
  { id: 'bounded-resolved', type: 'status.changed', occurredAt: at(5000), source: 'api', service: 'bounded-svc', incidentKey: 'INC-BOUNDED', data: { status: 'resolved' } },
];
const timeline = (path: string) => request(`${suite.stack.timeline}${path}`);

beforeAll(async () => {
  for (let start = 0; start < events.length; start += 1000) expect((await post(`${suite.stack.ingest}/v1/events`, events.slice(start, start + 1000))).status).toBe(202);
  await waitFor(async () => (await timeline('/v1/incidents/INC-BOUNDED')).body?.eventCount === events.length, 'every event in the incident', 90_000);
}, 120_000);

test('the events come a page at a time, 1000 by default, in the domain order, each once', async () => {
  const first = await timeline('/v1/incidents/INC-BOUNDED/events');
  expect(first.status).toBe(200);
  expect(first.body.events).toHaveLength(1000);
  const seen: string[] = [];
  let page = first.body;
  for (;;) {
    seen.push(...page.events.map((event: { id: string }) => event.id));
    if (!page.nextCursor) break;
    const next = await timeline(`/v1/incidents/INC-BOUNDED/events?limit=700&cursor=${page.nextCursor}`);
    expect(next.status).toBe(200);
    page = next.body;
  }
  expect(seen).toEqual(events.map((event) => event.id));
});

test.each([
  ['limit=5001', 'limit'],
  ['limit=0', 'limit'],
  ['cursor=not-a-cursor', 'cursor'],
])('a page query with %s is a 400 naming %s', async (query, path) => {
  const reply = await timeline(`/v1/incidents/INC-BOUNDED/events?${query}`);
  expect([reply.status, errorPaths(reply)]).toEqual([400, [path]]);
});

test('the state keeps the first 500 notes and counts the rest; the RCA says so', async () => {
  const state = (await timeline('/v1/incidents/INC-BOUNDED')).body;
  expect(state.notes).toHaveLength(500);
  expect(state.notes[0].text).toBe('note 0');
  expect(state.overflow).toEqual({ notes: NOTES - 500 });
  const markdown = await waitFor(async () => {
    const reply = await request(`${suite.stack.renderer}/v1/incidents/INC-BOUNDED/rca.md`);
    // The renderer consumes on its own: poll until its copy holds the whole incident.
    return reply.status === 200 && reply.text.includes('status: resolved') ? reply.text : null;
  }, 'the RCA draft of the resolved incident', 60_000);
  expect(markdown).toContain(`| Capped: notes | the first 500 are shown, ${NOTES - 500} more are not |`);
}, 90_000);

test('the unattached count is bounded and says whether it was', async () => {
  const reply = await timeline('/v1/unattached-events?limit=5');
  expect(reply.status).toBe(200);
  expect(reply.body).toMatchObject({ total: 0, totalCapped: false });
});

test('the web workspace reads every page: its incident page counts all the events and ends with the last one', async () => {
  const page = await request(`${suite.stack.web}/incidents/INC-BOUNDED`);
  expect(page.status).toBe(200);
  expect(page.text).toContain(`of ${events.length}`);
  expect(page.text).toContain('data-event-id="bounded-resolved"');
}, 60_000);

test('behind it, the partition moves on and every service is ready', async () => {
  const canary = { id: 'bounded-canary', type: 'note.added', occurredAt: at(6000), source: 'api', service: 'bounded-svc', data: { text: 'canary' } };
  expect((await post(`${suite.stack.ingest}/v1/events`, canary)).status).toBe(202);
  await waitFor(async () => (await suite.infra.sql('SELECT 1 FROM events WHERE event_id = $1', [canary.id])).length === 1, 'the canary to be stored');
  for (const base of [suite.stack.ingest, suite.stack.timeline, suite.stack.renderer]) {
    await waitFor(async () => (await request(`${base}/health/ready`)).status === 200, `${base} ready`);
  }
}, 60_000);
