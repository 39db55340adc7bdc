import type { Page } from 'playwright-core';
import { startBrowser, type RunningBrowser } from '../support/browser.js';
import { testEnvironment, waitFor } from '../support/environment.js';
import { exampleEvents, referenceRca } from '../support/fixtures.js';
import { runningStack, startStack } from '../support/stack.js';

/*
 * The incident workspace in a real browser (Debian's Chromium) against the real stack: the alerts and
 * pages of the example incident arrive through ingest as from the tools, and everything people know
 * is recorded through the forms, until the RCA draft is the reference document.
 */

const environment = testEnvironment('web');
const PERSON = 'dana@example.com';
const USER_HEADER = 'X-Forwarded-User';
let browser: RunningBrowser;

type Envelope = { id: string; type: string; occurredAt: string; source: string; data: Record<string, unknown> };
const events = exampleEvents() as Envelope[];
/** What the tools send; everything else of the example log is what people know. */
const fromTools = events.filter((event) => event.source === 'alertmanager' || event.source === 'pagerduty');
const fromPeople = events.filter((event) => !fromTools.includes(event));

// Declared before the stack, so the browser's live streams are closed before the services close.
beforeAll(async () => {
  browser = await startBrowser({ extraHTTPHeaders: { [USER_HEADER]: PERSON } });
}, 120_000);

afterAll(async () => {
  await browser?.close();
}, 60_000);

const stack = runningStack(environment, ['ingest', 'timeline', 'renderer', 'web'], { LOG_LEVEL: 'warn', WEB_TRUSTED_USER_HEADER: USER_HEADER, WEB_LIVE_POLL_MS: '300' });

afterEach(() => {
  // Every page of every test loaded without a console error or an uncaught exception.
  const seen = browser.errors.splice(0);
  expect(seen).toEqual([]);
});

const asPerson = { [USER_HEADER]: PERSON };

async function send(envelopes: unknown): Promise<void> {
  const response = await fetch(`${stack.ingest}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(envelopes) });
  expect(response.status).toBe(202);
}

async function timelineEvents(incidentId: string): Promise<Envelope[]> {
  return ((await (await fetch(`${stack.timeline}/v1/incidents/${incidentId}/events`)).json()) as { events: Envelope[] }).events;
}

/** Opens the form's section, types the event's fields as a person would, sends it, and lands back on the page. */
async function record(page: Page, type: string, data: Record<string, unknown>, occurredAt?: string): Promise<void> {
  const details = page.locator('details.record', { has: page.locator(`form[data-record="${type}"]`) });
  const form = details.locator('form');
  if (!(await details.evaluate((element) => (element as unknown as { open: boolean }).open))) await details.locator('summary').click();
  for (const [name, value] of Object.entries(data)) {
    const field = form.locator(`[name="${name}"]`);
    if ((await field.evaluate((element) => element.tagName)) === 'SELECT') await field.selectOption(String(value));
    else await field.fill(Array.isArray(value) ? value.join('\n') : String(value));
  }
  if (occurredAt) await form.locator('[name="occurredAt"]').fill(occurredAt.slice(0, 16));
  await Promise.all([page.waitForURL(/recorded=/), form.locator('button[type="submit"]').click()]);
  await page.locator('.notice[role="status"]').waitFor();
}

const timelineRow = (page: Page, text: string) => page.locator('li[data-event-id]', { hasText: text });

test('without the proxy header, or from another site, the workspace refuses', async () => {
  expect((await fetch(`${stack.web}/incidents`)).status).toBe(401);
  expect((await fetch(`${stack.web}/health/live`)).status).toBe(200);
  const forged = await fetch(`${stack.web}/incidents/anything/record/note.added`, {
    method: 'POST',
    headers: { ...asPerson, 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
    body: 'text=hello&occurredAt=2025-04-05T15:00',
  });
  expect(forged.status).toBe(403);
});

test('a person takes the example incident from its alerts to the reference RCA in the browser', async () => {
  await send(fromTools);
  const page = await browser.page();

  await page.goto(`${stack.web}/incidents`);
  const row = page.locator('[data-incident-id]').first();
  await waitFor(async () => (await page.reload(), (await row.count()) === 1), 'the incident in the list');
  expect(await page.locator('.person').innerText()).toContain(PERSON);
  const incidentId = (await row.getAttribute('data-incident-id'))!;
  await browser.screenshot(page, 'list');

  await row.locator('a').click();
  await page.waitForURL(`**/incidents/${incidentId}`);
  await waitFor(async () => (await page.reload(), (await page.locator('li[data-event-id]').count()) === fromTools.length), 'the tools\' events on the timeline');
  expect(await page.locator('[data-figure="timeToAcknowledge"] .figure-value').innerText()).toBe('5 min');
  await browser.screenshot(page, 'incident-alerts-only');

  await page.goto(`${stack.web}/incidents/${incidentId}/rca`);
  const title = page.locator('article[data-rca] h1');
  expect(await title.innerText()).not.toContain('Cache Invalidation Bug');
  await browser.screenshot(page, 'rca-before');

  // A form with a mistake comes back with the error next to the field and the typed values kept.
  await page.goto(`${stack.web}/incidents/${incidentId}`);
  const rootCause = page.locator('details.record form[data-record="root_cause.identified"]');
  await page.locator('details.record', { has: page.locator('form[data-record="root_cause.identified"]') }).locator('summary').click();
  await rootCause.locator('[name="category"]').fill('application');
  await rootCause.locator('[name="contributingFactors"]').fill('first factor');
  await rootCause.locator('button[type="submit"]').click();
  await page.locator('[data-error-summary]').waitFor();
  expect(await rootCause.locator('[name="summary"]').getAttribute('aria-invalid')).toBe('true');
  expect(await rootCause.locator('.field-error').first().innerText()).toContain('Summary is required');
  expect(await rootCause.locator('[name="category"]').inputValue()).toBe('application');
  expect(await rootCause.locator('[name="contributingFactors"]').inputValue()).toBe('first factor');
  expect(await page.evaluate("document.activeElement?.hasAttribute('data-error-summary')")).toBe(true);
  await browser.screenshot(page, 'form-error');
  // Chromium logs the answer's status (400, as it should be) as a console error: that one is expected.
  expect(browser.errors.splice(0)).toEqual([expect.stringMatching(/record\/root_cause\.identified: console: Failed to load resource: the server responded with a status of 400/)]);

  // What people know, in the order they learned it; the root cause then shows up live, without a reload.
  for (const event of fromPeople) {
    await record(page, event.type, event.data, event.occurredAt);
    if (event.type === 'root_cause.identified') {
      await timelineRow(page, 'cache invalidation bug').waitFor({ timeout: 30_000 });
      expect(await page.locator('[data-figure="status"] .figure-value').innerText()).toBe('identified');
      await browser.screenshot(page, 'incident-root-cause');
      await page.goto(`${stack.web}/incidents/${incidentId}/rca`);
      await waitFor(async () => (await page.reload(), (await title.innerText()).includes('Cache Invalidation Bug in order-service')), 'the RCA title from the root cause');
      await page.goto(`${stack.web}/incidents/${incidentId}`);
    }
  }
  await timelineRow(page, 'Need automated rollback for faster recovery').waitFor({ timeout: 30_000 });
  await timelineRow(page, 'Review similar services').waitFor({ timeout: 30_000 });
  await browser.screenshot(page, 'incident-complete');

  // The events went through ingest as the signed-in person, and nothing was recorded twice.
  const stored = await timelineEvents(incidentId);
  const recorded = stored.filter((event) => event.source === 'web');
  expect(recorded).toHaveLength(fromPeople.length);
  expect(new Set(recorded.map((event) => (event as { actor?: string }).actor))).toEqual(new Set([PERSON]));

  // The RCA drafted from those events is the reference document, line for line (the renderer's extras,
  // metrics, diagram and appendix, follow after its footer).
  const draft = async () => (await (await fetch(`${stack.renderer}/v1/incidents/${incidentId}/rca.md?preparedOn=2025-04-06`)).text()).slice(0, referenceRca().length);
  await waitFor(async () => (await draft()) === referenceRca(), 'the reference RCA from the recorded events', 30_000).catch(() => undefined);
  expect(await draft()).toBe(referenceRca());

  // The RCA page shows the renderer's newest draft as HTML, with its versions and the download.
  await page.goto(`${stack.web}/incidents/${incidentId}/rca`);
  await waitFor(async () => (await page.reload(), (await page.locator('article[data-rca]').innerText()).includes('Need automated rollback for faster recovery')), 'the complete draft on the RCA page');
  expect(await title.innerText()).toBe('2025-04-05 - Cache Invalidation Bug in order-service');
  expect(await page.locator('article[data-rca] table').nth(2).locator('tbody tr').count()).toBe(4);
  expect(await page.locator('article[data-rca] h2').allInnerTexts()).toEqual(
    expect.arrayContaining(['Summary', 'Timeline', 'Root Cause', 'Impact', 'Resolution', 'Lessons Learned', 'Action Items']),
  );
  expect(await page.locator('ol.versions li').count()).toBeGreaterThan(0);
  // The timeline diagram is drawn by the Mermaid the app serves itself.
  await page.locator('article[data-rca] pre.mermaid svg').waitFor({ timeout: 30_000 });
  const download = await fetch(`${stack.web}/incidents/${incidentId}/rca.md`, { headers: asPerson });
  expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.md"$/);
  expect(await download.text()).toBe(await (await fetch(`${stack.renderer}/v1/incidents/${incidentId}/rca.md`)).text());
  await browser.screenshot(page, 'rca-complete');

  const narrow = await browser.context.newPage();
  await narrow.setViewportSize({ width: 360, height: 800 });
  for (const [path, name] of [
    ['/incidents', 'list-360'],
    [`/incidents/${incidentId}`, 'incident-360'],
    [`/incidents/${incidentId}/rca`, 'rca-360'],
  ] as const) {
    await narrow.goto(`${stack.web}${path}`);
    // Nothing wider than the screen: no sideways scrolling of the page.
    expect(await narrow.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await browser.screenshot(narrow, name);
  }
  await narrow.close();

  // Analytics: the incident's times, plotted by service and month; a mark leads to the incidents behind it.
  await page.goto(`${stack.web}/analytics`);
  const acknowledged = page.locator('figure[data-plot="Time to acknowledge by service"] a.mark').first();
  await acknowledged.waitFor();
  expect(await acknowledged.locator('title').textContent()).toBe('order-service: median 5 min over 1 incident');
  await browser.screenshot(page, 'analytics');
  expect(await acknowledged.getAttribute('href')).toBe(`/incidents?ids=${incidentId}`);
}, 600_000);

test('an event recorded by mistake is retracted with a reason', async () => {
  await send({ id: 'am-payments-firing', type: 'alert.triggered', occurredAt: '2025-05-01T09:00:00Z', source: 'alertmanager', service: 'payments', data: { alertName: 'PaymentsLatencyHigh' } });
  const page = await browser.page();
  await page.goto(`${stack.web}/incidents?service=payments`);
  const row = page.locator('[data-incident-id]');
  await waitFor(async () => (await page.reload(), (await row.count()) === 1), 'the payments incident in the list');
  await row.locator('a').click();

  await record(page, 'lesson.recorded', { kind: 'to_improve', text: 'Recorded on the wrong incident' }, '2025-05-01T09:30:00Z');
  const mistaken = timelineRow(page, 'Recorded on the wrong incident');
  await mistaken.waitFor({ timeout: 30_000 });
  const eventId = (await mistaken.getAttribute('data-event-id'))!;

  await mistaken.locator('details.retract summary').click();
  await mistaken.locator('form[data-record="event.retracted"] [name="reason"]').fill('belongs to INC-2025-0501-PAY');
  await Promise.all([page.waitForURL(/recorded=event.retracted/), mistaken.locator('form[data-record="event.retracted"] button').click()]);
  const retracted = page.locator(`li[data-event-id="${eventId}"].retracted`);
  await retracted.waitFor({ timeout: 30_000 });
  expect(await retracted.innerText()).toContain(`Retracted by ${PERSON}`);
  expect(await retracted.innerText()).toContain('belongs to INC-2025-0501-PAY');
  await browser.screenshot(page, 'incident-retracted');

  const incidentId = page.url().split('/incidents/')[1]!.split('?')[0]!;
  const retraction = (await timelineEvents(incidentId)).find((event) => event.type === 'event.retracted');
  expect(retraction).toMatchObject({ source: 'web', actor: PERSON, data: { eventId, reason: 'belongs to INC-2025-0501-PAY' } });
}, 300_000);

test('an incident opened twice is merged into the other through the merge form', async () => {
  await send([
    { id: 'am-ledger-firing', type: 'alert.triggered', occurredAt: '2025-05-02T10:00:00Z', source: 'alertmanager', service: 'ledger', data: { alertName: 'LedgerLag' } },
    { id: 'am-ledger-db-firing', type: 'alert.triggered', occurredAt: '2025-05-02T10:01:00Z', source: 'alertmanager', service: 'ledger-db', data: { alertName: 'LedgerDbLocks' } },
  ]);
  const incidentOf = async (service: string) =>
    ((await (await fetch(`${stack.timeline}/v1/incidents?service=${service}`)).json()) as { items: { id: string }[] }).items[0]?.id;
  const [target, duplicate] = await waitFor(async () => {
    const ids = [await incidentOf('ledger'), await incidentOf('ledger-db')];
    return ids.every(Boolean) ? (ids as string[]) : null;
  }, 'the two ledger incidents');

  const page = await browser.page();
  await page.goto(`${stack.web}/incidents/${duplicate}`);
  const details = page.locator('details.record', { has: page.locator('form[data-record="incident.merged"]') });
  await details.locator('summary').click();
  await details.locator('[name="into"]').fill(target!);
  await Promise.all([page.waitForURL(/recorded=incident.merged/), details.locator('button[type="submit"]').click()]);

  // Reading the merged incident now answers with the target, which holds both alerts.
  await waitFor(async () => (await page.goto(`${stack.web}/incidents/${duplicate}`), (await page.locator('[data-incident-id]').getAttribute('data-incident-id')) === target), 'the merged incident to read as its target');
  await timelineRow(page, 'LedgerLag').waitFor();
  await timelineRow(page, 'LedgerDbLocks').waitFor();
  await browser.screenshot(page, 'incident-merged');
}, 300_000);

test('the RCA page of an incident the renderer has not received yet says so and brings the draft when it comes', async () => {
  // A workspace reading a renderer of another log: it never receives this incident, as the real one for a
  // second or two after the timeline has it.
  const elsewhere = testEnvironment('web_elsewhere');
  const renderer = await startStack(elsewhere, ['renderer'], { LOG_LEVEL: 'warn' });
  const web = await startStack(environment, ['web'], { LOG_LEVEL: 'warn', WEB_TRUSTED_USER_HEADER: USER_HEADER, INGEST_URL: stack.ingest!, TIMELINE_URL: stack.timeline!, RENDERER_URL: renderer.renderer! });
  try {
    await send({ id: 'am-search-firing', type: 'alert.triggered', occurredAt: '2025-05-03T08:00:00Z', source: 'alertmanager', service: 'search', data: { alertName: 'SearchDown' } });
    const incidentId = await waitFor(async () => ((await (await fetch(`${stack.timeline}/v1/incidents?service=search`)).json()) as { items: { id: string }[] }).items[0]?.id, 'the search incident');
    const page = await browser.page();
    const response = await page.goto(`${web.web}/incidents/${incidentId}/rca`);
    expect(response?.status()).toBe(200);
    expect(await page.locator('[data-not-yet-drafted]').innerText()).toContain('has not received this incident yet');
    expect(await page.locator('[data-live-source]').getAttribute('data-live-source')).toContain('/rca/live?since=');
    await browser.screenshot(page, 'rca-not-yet-drafted');
    // The real renderer has it: the same page there shows the draft.
    await waitFor(async () => (await page.goto(`${stack.web}/incidents/${incidentId}/rca`), (await page.locator('article[data-rca] h1').count()) === 1), 'the draft from the real renderer');
  } finally {
    await web.close();
    await renderer.close();
    await elsewhere.dropDatabase();
  }
}, 120_000);
