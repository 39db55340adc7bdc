import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { exampleEvents } from '../support/fixtures.js';
import { testEnvironment, waitFor } from '../support/environment.js';
import { slackStandIn, SLACK_TEST_TOKEN, teamsReceiver, webhookReceiver, type ReceivedWebhook } from '../support/outbound-receivers.js';
import { sleep } from '../support/probes.js';
import { runningStack } from '../support/stack.js';

/** How long the second subscriber is down: 120 s as the issue asks; shorter with NOTIFIER_TEST_OUTAGE_SECONDS. */
const OUTAGE_SECONDS = Number(process.env.NOTIFIER_TEST_OUTAGE_SECONDS ?? 120);
const RETRY_MAX_SECONDS = 10;

const AdaptiveCards = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as typeof import('adaptivecards');

const secrets = { ops: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', flaky: 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD' };
const ops = webhookReceiver(secrets.ops);
const flaky = webhookReceiver(secrets.flaky);
const slack = slackStandIn();
const teams = teamsReceiver();

const environment = testEnvironment('notifier');
beforeAll(async () => {
  for (const receiver of [ops, flaky, slack, teams]) await receiver.start();
  slack.rateLimit(1, 1);
});
afterAll(async () => {
  for (const receiver of [ops, flaky, slack, teams]) await receiver.stop();
});
const stack = runningStack(environment, ['ingest', 'timeline', 'renderer', 'notifier'], () => {
  const file = join(tmpdir(), `${environment.name}-subscriptions.yaml`);
  writeFileSync(
    file,
    [
      `- name: ops`,
      `  url: ${ops.url}`,
      `  secret: ${secrets.ops}`,
      `  events: [incident.opened, incident.updated, incident.resolved, incident.merged, rca.drafted]`,
      `- name: flaky`,
      `  url: ${flaky.url}`,
      `  secret: ${secrets.flaky}`,
      `  events: [incident.opened, incident.updated, incident.resolved, incident.merged, rca.drafted]`,
      `  services: [order-service]`,
    ].join('\n'),
  );
  return {
    LOG_LEVEL: 'warn',
    OUTBOUND_WEBHOOKS_FILE: file,
    OUTBOUND_RETRY_FIRST_SECONDS: '1',
    OUTBOUND_RETRY_MAX_SECONDS: String(RETRY_MAX_SECONDS),
    PUBLIC_WEB_URL: 'https://aftermath.example',
    SLACK_BOT_TOKEN: SLACK_TEST_TOKEN,
    SLACK_API_URL: slack.url,
    SLACK_INCIDENTS_CHANNEL: 'C0INCIDENTS',
    TEAMS_WEBHOOK_URLS: teams.url,
  };
});

/** The example incident's notices, event by event (libs/domain notices.spec.ts derives the same from the domain). */
const INCIDENT_NOTICES = [
  'incident.opened triggered',
  'incident.updated triggered severity,keys',
  'incident.updated triggered keys',
  'incident.updated investigating status',
  'incident.updated investigating services',
  'incident.updated investigating services',
  'incident.updated investigating services',
  'incident.updated identified status',
  'incident.updated mitigated status',
  'incident.updated monitoring status',
  'incident.resolved resolved status',
];

const told = (r: ReceivedWebhook) => {
  const { type, data } = r.payload;
  if (type === 'rca.drafted') return `rca.drafted v${data.draft!.version}`;
  return [type, data.incident.status, type === 'incident.opened' ? '' : data.changed!.join(',')].join(' ').trim();
};

/** Each delivery once, in the order first seen: retries carry the same webhook-id and the same body. */
function distinct(received: ReceivedWebhook[]): ReceivedWebhook[] {
  const first = new Map<string, ReceivedWebhook>();
  for (const r of received) {
    const seen = first.get(r.id);
    if (seen) expect(r.body).toBe(seen.body);
    else first.set(r.id, r);
  }
  return [...first.values()];
}

const post = async (events: unknown[]) => {
  const response = await fetch(`${stack.ingest}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(events) });
  expect(response.status).toBe(202);
};

test(
  'the example incident reaches two subscribers (one down for a while), Slack and Teams: nothing lost, retries only with the same id, order kept',
  async () => {
    const events = exampleEvents();
    const firstPart = events.findIndex((e) => e.id === 'api-status-1') + 1;
    const resolution = events.findIndex((e) => e.id === 'api-status-5') + 1;

    await post(events.slice(0, firstPart));
    await waitFor(async () => ops.accepted().length >= 4 && flaky.accepted().length >= 4, 'the first four notices at both subscribers', 60_000);

    // The second subscriber goes away: first unreachable, then answering 503, for OUTAGE_SECONDS in all.
    await flaky.stop();
    const outageStarted = Date.now();
    await post(events.slice(firstPart, resolution));
    await post(events.slice(resolution));
    await sleep(OUTAGE_SECONDS * 500);
    flaky.state.answer = 503;
    await flaky.start();
    await sleep(Math.max(0, outageStarted + OUTAGE_SECONDS * 1000 - Date.now()));
    const outageEnded = Date.now();
    flaky.state.answer = 204;

    const incidentId = ops.received[0]!.payload.data.incident.id;
    // Every draft version the renderer stored, once its draft holds the log's last event (it makes no more).
    const versions = await waitFor(async () => {
      const draft = await (await fetch(`${stack.renderer}/v1/incidents/${incidentId}/rca.md`)).text();
      if (!draft.includes('Review similar services')) return null;
      const body = (await (await fetch(`${stack.renderer}/v1/incidents/${incidentId}/rca/versions`)).json()) as { versions: { version: number }[] };
      const count = body.versions.length;
      return count > 0 && distinct(ops.accepted()).filter((r) => r.payload.type === 'rca.drafted').length === count ? body.versions.map((v) => v.version).sort((a, b) => a - b) : null;
    }, 'the draft versions announced to the healthy subscriber', 120_000);
    const expected = [...INCIDENT_NOTICES, ...versions.map((version) => `rca.drafted v${version}`)];

    // The healthy subscriber had everything the incident said while the other was down: nothing waited for it.
    const opsIncidentNotices = ops.accepted().filter((r) => r.payload.type !== 'rca.drafted');
    expect(opsIncidentNotices.at(-1)!.at).toBeLessThan(outageEnded);
    expect(ops.received.map(told)).toEqual(expected);
    expect(new Set(ops.received.map((r) => r.id)).size).toBe(ops.received.length);

    await waitFor(async () => distinct(flaky.accepted()).length === expected.length, 'every delivery at the subscriber that came back', (RETRY_MAX_SECONDS + 60) * 1000);
    await sleep(2000); // anything more would be a duplicate or a stray
    expect(flaky.accepted().map(told)).toEqual(expected);
    expect(distinct(flaky.received).map(told)).toEqual(expected);
    const flakyIds = new Set(flaky.received.map((r) => r.id));
    expect(flakyIds.size).toBe(expected.length);
    // Retries while it answered 503: the same id again, later and later, never more often than the backoff allows.
    const head = flaky.received.filter((r) => r.answered === 503);
    expect(head.length).toBeGreaterThanOrEqual(Math.max(1, Math.floor(OUTAGE_SECONDS / 2 / RETRY_MAX_SECONDS)));
    expect(new Set(head.map((r) => r.id)).size).toBe(1);
    const gaps = head.slice(1).map((r, i) => r.at - head[i]!.at);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(RETRY_MAX_SECONDS * 0.9 * 1000 - 500);
    expect(head.length).toBeLessThanOrEqual(Math.ceil((OUTAGE_SECONDS / 2) / (RETRY_MAX_SECONDS * 0.9)) + 1);

    for (const r of [...ops.received, ...flaky.received]) expect(r.verified).toBe(true);
    const resolved = ops.received.find((r) => r.payload.type === 'incident.resolved')!.payload;
    expect(resolved.data).toMatchObject({
      incident: { id: incidentId, status: 'resolved', severity: 'P3', keys: ['INC-2025-0405-ORD', 'pagerduty:Q0RIJJZL24RC6W'] },
      links: { workspace: `https://aftermath.example/incidents/${incidentId}`, draft: `https://aftermath.example/incidents/${incidentId}/rca` },
    });

    // The delivery log says the same: all delivered, the returning subscriber's with more than one attempt.
    const log = (await (await fetch(`${stack.notifier}/v1/deliveries?subscription=flaky`)).json()) as { items: { id: string; status: string; attempts: number }[] };
    expect(log.items.map((d) => d.status)).toEqual(expected.map(() => 'delivered'));
    expect(new Set(log.items.map((d) => d.id))).toEqual(flakyIds);
    expect(log.items.find((d) => d.id === head[0]!.id)!.attempts).toBeGreaterThan(head.length);

    // Teams: an Adaptive Card per notice, valid by Microsoft's own parser.
    await waitFor(async () => teams.received.length === expected.length, 'a Teams card per notice');
    for (const { body, contentType } of teams.received) {
      expect(contentType).toBe('application/json');
      expect(body).toMatchObject({ type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', version: '1.4' } }] });
      const card = new AdaptiveCards.AdaptiveCard();
      const context = new AdaptiveCards.SerializationContext();
      card.parse(body.attachments[0].content, context);
      expect(Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message)).toEqual([]);
      expect(card.validateProperties().validationEvents.map((event) => event.message)).toEqual([]);
    }

    // Slack: one message for the incident, posted once after the 429 (its Retry-After waited), then updated to the end.
    await waitFor(async () => {
      const last = [...slack.messages.values()][0];
      return last && JSON.stringify(last.blocks).includes(`RCA draft v${versions.at(-1)}`) && slack.calls.at(-1)!.answered === 200;
    }, 'the Slack message in its final state');
    expect(slack.calls[0]).toMatchObject({ method: 'chat.postMessage', answered: 429 });
    expect(slack.calls[1]).toMatchObject({ method: 'chat.postMessage', answered: 200 });
    expect(slack.calls[1]!.at - slack.calls[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(slack.calls.filter((c) => c.method === 'chat.postMessage' && c.answered === 200)).toHaveLength(1);
    expect(slack.calls.slice(2).every((c) => c.method === 'chat.update')).toBe(true);
    expect(slack.messages.size).toBe(1);
    const message = [...slack.messages.values()][0]!;
    expect(message.channel).toBe('C0INCIDENTS');
    expect(message.text).toBe('[P3] OrderServiceHighErrorRate: resolved (order-service, auth-service, notification-service, analytics-pipeline)');
    const shown = JSON.stringify(message.blocks);
    for (const part of ['*Status*\\nresolved', '*Severity*\\nP3', 'INC-2025-0405-ORD', 'Incident resolved', `https://aftermath.example/incidents/${incidentId}|Open in the workspace`]) {
      expect(shown).toContain(part);
    }
  },
  (OUTAGE_SECONDS + 600) * 1000,
);
