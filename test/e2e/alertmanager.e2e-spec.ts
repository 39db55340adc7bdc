import { randomBytes } from 'node:crypto';
import { createKafka, topicNames } from '@app/platform';
import { startAlertmanager, type RunningAlertmanager } from '../support/alertmanager.js';
import { KAFKA_BROKERS, testEnvironment, waitFor } from '../support/environment.js';
import { runningStack } from '../support/stack.js';

/*
 * A real Prometheus Alertmanager (the Debian package prometheus-alertmanager) with a webhook receiver
 * pointing at a real ingest: an alert posted to Alertmanager's API becomes an incident on the
 * timeline, and resolving it there stores alert.resolved. Nothing here speaks the webhook format
 * but Alertmanager itself.
 */

const environment = testEnvironment('alertmanager');
const TOKEN = `am-e2e-${randomBytes(8).toString('hex')}`;
const service = `am-e2e-${randomBytes(3).toString('hex')}`;
let alertmanager: RunningAlertmanager | undefined;

const stack = runningStack(environment, ['ingest', 'timeline'], { LOG_LEVEL: 'warn', INGEST_TOKENS: TOKEN, TIMELINE_CONSUMER_GROUP: `timeline-${environment.name}` });

beforeAll(async () => {
  alertmanager = await startAlertmanager({ webhookUrl: `${stack.ingest}/v1/webhooks/alertmanager`, token: TOKEN });
}, 90_000);

afterAll(async () => {
  await alertmanager?.stop();
  const admin = createKafka(`cleanup-${environment.name}`, [KAFKA_BROKERS]).admin();
  await admin.connect();
  await admin.deleteGroups([`timeline-${environment.name}`]).catch(() => undefined);
  await admin.deleteTopics({ topics: Object.values(topicNames(environment.topicPrefix)) }).catch(() => undefined);
  await admin.disconnect();
}, 60_000);

async function incidentEvents(): Promise<{ id: string; events: any[] } | null> {
  const page = (await (await fetch(`${stack.timeline}/v1/incidents?service=${service}`)).json()) as { items: { id: string }[] };
  if (page.items.length === 0) return null;
  expect(page.items).toHaveLength(1);
  const { events } = (await (await fetch(`${stack.timeline}/v1/incidents/${page.items[0]!.id}/events`)).json()) as { events: any[] };
  return { id: page.items[0]!.id, events };
}

test('an alert fired in Alertmanager opens an incident; resolving it there stores alert.resolved', async () => {
  const labels = { alertname: 'CheckoutErrorRate', service, severity: 'critical' };
  const startsAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 120_000).toISOString();
  await alertmanager!.postAlerts([{ labels, annotations: { summary: 'checkout 5xx above 5%' }, startsAt, generatorURL: 'http://prometheus.example.com/graph' }]);

  const [{ fingerprint }] = await waitFor(async () => {
    const alerts = await alertmanager!.alerts();
    return alerts.length === 1 ? alerts : null;
  }, 'Alertmanager to hold the alert');
  const firingId = `am-${fingerprint}-${Date.parse(startsAt)}-firing`;

  const opened = await waitFor(
    async () => {
      const incident = await incidentEvents();
      return incident && incident.events.length >= 1 ? incident : null;
    },
    `the incident of ${service} on the timeline (Alertmanager output:\n${alertmanager!.output()})`,
    30_000,
  );
  expect(opened.events).toHaveLength(1);
  expect(opened.events[0]).toMatchObject({
    id: firingId,
    type: 'alert.triggered',
    source: 'alertmanager',
    service,
    data: { alertName: 'CheckoutErrorRate', severity: 'critical', summary: 'checkout 5xx above 5%', fingerprint, labels },
  });
  expect(Date.parse(opened.events[0].occurredAt)).toBe(Date.parse(startsAt));
  const incident = await (await fetch(`${stack.timeline}/v1/incidents/${opened.id}`)).json();
  expect(incident).toMatchObject({ primaryService: service, status: 'triggered', open: true });

  // Prometheus resolves an alert by sending it again with endsAt in the past.
  const endsAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 1000).toISOString();
  await alertmanager!.postAlerts([{ labels, annotations: { summary: 'checkout 5xx above 5%' }, startsAt, endsAt }]);
  const resolved = await waitFor(
    async () => {
      const current = await incidentEvents();
      return current && current.events.some((event) => event.type === 'alert.resolved') ? current : null;
    },
    `alert.resolved on the timeline (Alertmanager output:\n${alertmanager!.output()})`,
    30_000,
  );
  expect(resolved.id).toBe(opened.id);
  expect(resolved.events.map((event) => [event.id, event.type])).toEqual([
    [firingId, 'alert.triggered'],
    [`am-${fingerprint}-${Date.parse(startsAt)}-resolved`, 'alert.resolved'],
  ]);
  expect(resolved.events[1]).toMatchObject({ source: 'alertmanager', service, data: { alertName: 'CheckoutErrorRate', fingerprint } });
  expect(Date.parse(resolved.events[1].occurredAt)).toBe(Date.parse(endsAt));
}, 90_000);
