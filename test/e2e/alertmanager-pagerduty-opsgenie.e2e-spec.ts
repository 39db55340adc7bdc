import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { PAGERDUTY_SECRETS, pagerDutySignature, post, request, runningIngest } from '../../apps/ingest/test/support/ingest-kit.js';
import { startAlertmanager, type RunningAlertmanager } from '../support/alertmanager.js';
import { testEnvironment, waitFor } from '../support/environment.js';

/*
 * Issue 11's story: one alert, fired in a real Alertmanager that notifies ingest (webhook), PagerDuty
 * (Events API v2) and Opsgenie (Alert API) from the same receiver, as teams run it. PagerDuty and
 * Opsgenie are stood in for by a local recorder of what Alertmanager sent them; their webhooks back to
 * ingest are built as PagerDuty (v3 incident.triggered, the Events API dedup_key as `incident_key`) and
 * Opsgenie (alert action data, Create with the alias) document them, naming the service their own way.
 * The group key Alertmanager hashed is the dedup key and the alias, and the three tools' events are one
 * incident.
 */

const environment = testEnvironment('am_pd_og');
const suite = runningIngest(environment, ['ingest', 'timeline']);
const service = `orders-${randomBytes(3).toString('hex')}`;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

interface Recorded {
  path: string;
  body: any;
}
const recorded: Recorded[] = [];
let recorder: Server;
let alertmanager: RunningAlertmanager | undefined;

/** Answers as PagerDuty's Events API and Opsgenie's Alert API do (202), and keeps what it was sent. */
async function startRecorder(): Promise<string> {
  recorder = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    recorded.push({ path: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') });
    res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'success', message: 'Event processed', result: 'Request will be processed', requestId: 'r' }));
  });
  recorder.listen(0, '127.0.0.1');
  await once(recorder, 'listening');
  return `http://127.0.0.1:${(recorder.address() as { port: number }).port}`;
}

beforeAll(async () => {
  suite.infra.groups.push(`timeline-${environment.name}.dead-letters`);
  const recorderUrl = await startRecorder();
  alertmanager = await startAlertmanager({
    webhookUrl: `${suite.stack.ingest}/v1/webhooks/alertmanager`,
    token: 'ingest-test-token-1',
    pagerDutyUrl: `${recorderUrl}/v2/enqueue`,
    opsgenieApiUrl: `${recorderUrl}/opsgenie/`,
  });
}, 90_000);

afterAll(async () => {
  await alertmanager?.stop();
  recorder?.close();
});

test('an alert Alertmanager sent to ingest, PagerDuty and Opsgenie is one incident', async () => {
  const labels = { alertname: 'OrdersErrorBudgetBurn', service, severity: 'critical' };
  const startsAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000).toISOString();
  await alertmanager!.postAlerts([{ labels, annotations: { summary: 'orders burning its error budget' }, startsAt }]);

  const { pagerDuty, opsgenie } = await waitFor(
    async () => {
      const pagerDuty = recorded.find((entry) => entry.path === '/v2/enqueue')?.body;
      const opsgenie = recorded.find((entry) => entry.path.startsWith('/opsgenie/v2/alerts'))?.body;
      return pagerDuty && opsgenie ? { pagerDuty, opsgenie } : null;
    },
    `Alertmanager's PagerDuty and Opsgenie notifications (Alertmanager output:\n${alertmanager!.output()})`,
    30_000,
  );
  // The route groups by alertname and service (test/support/alertmanager.ts): this is the notification's group key.
  const groupKey = `{}:{alertname="OrdersErrorBudgetBurn", service="${service}"}`;
  expect(pagerDuty.dedup_key).toBe(sha256(groupKey));
  expect(opsgenie.alias).toBe(sha256(groupKey));

  // The alert as ingest received it from the webhook: its correlation key is that hash.
  const [{ fingerprint }] = await alertmanager!.alerts();
  const alertId = `am-${fingerprint}-${Date.parse(startsAt)}-firing`;
  const alertEvent = await waitFor(async () => suite.reader.messages.find((message) => message.value.id === alertId)?.value, 'the webhook alert on the events topic', 30_000);
  expect(alertEvent.correlationKeys).toEqual([`dedup:${sha256(groupKey)}`]);

  // PagerDuty's v3 webhook of the incident that event opened: its incident_key is the Events API dedup_key.
  const pdBody = JSON.stringify({
    event: {
      id: `01E2E${randomBytes(8).toString('hex').toUpperCase()}`,
      event_type: 'incident.triggered',
      resource_type: 'incident',
      occurred_at: new Date(Date.parse(startsAt) + 40_000).toISOString(),
      agent: null,
      client: { name: 'Alertmanager' },
      data: {
        id: 'Q1E2EAMPDOG001',
        type: 'incident',
        self: 'https://api.pagerduty.com/incidents/Q1E2EAMPDOG001',
        html_url: 'https://acme.pagerduty.com/incidents/Q1E2EAMPDOG001',
        number: 1,
        status: 'triggered',
        incident_key: pagerDuty.dedup_key,
        created_at: new Date(Date.parse(startsAt) + 40_000).toISOString(),
        title: pagerDuty.payload.summary,
        service: { id: 'PSVC001', type: 'service_reference', summary: 'Orders Platform (prod)', self: 'https://api.pagerduty.com/services/PSVC001', html_url: 'https://acme.pagerduty.com/service-directory/PSVC001' },
        assignees: [{ id: 'PUSR001', type: 'user_reference', summary: 'Dana Oncall', self: 'https://api.pagerduty.com/users/PUSR001', html_url: 'https://acme.pagerduty.com/users/PUSR001' }],
        escalation_policy: { id: 'PEP0001', type: 'escalation_policy_reference', summary: 'Orders Primary', self: 'https://api.pagerduty.com/escalation_policies/PEP0001', html_url: 'https://acme.pagerduty.com/escalation_policies/PEP0001' },
        teams: [],
        priority: null,
        urgency: 'high',
        conference_bridge: null,
        resolve_reason: null,
      },
    },
  });
  const pd = await post(`${suite.stack.ingest}/v1/webhooks/pagerduty`, pdBody, { authorization: undefined, 'x-pagerduty-signature': pagerDutySignature(pdBody, PAGERDUTY_SECRETS[0]!) });
  expect(pd.status).toBe(202);

  // Opsgenie's outgoing webhook of the alert Alertmanager created: the alias is the same hash.
  const createdAt = Date.parse(startsAt) + 30_000;
  const og = await post(`${suite.stack.ingest}/v1/webhooks/opsgenie`, {
    source: { name: 'Alertmanager', type: 'API' },
    alert: { alertId: randomBytes(16).toString('hex'), message: opsgenie.message, description: opsgenie.description, tags: opsgenie.tags ?? [], tinyId: '7', entity: opsgenie.entity ?? '', alias: opsgenie.alias, createdAt, updatedAt: createdAt * 1_000_000, username: 'System', priority: opsgenie.priority ?? 'P3' },
    action: 'Create',
    integrationId: 'e2e',
    integrationName: 'Aftermath Webhook',
  });
  expect(og.status).toBe(202);

  const ids = [alertId, ...pd.body.eventIds, ...og.body.eventIds];
  const results = await waitFor(
    async () => {
      const reply = await request(`${suite.stack.timeline}/v1/events/lookup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ids }) });
      const answer = reply.body.results as { status: string; incidentId?: string }[];
      return answer.every((result) => result.status === 'attached') ? answer : null;
    },
    'the three tools events attached',
    30_000,
  );
  expect(new Set(results.map((result) => result.incidentId)).size).toBe(1);
  const incident = (await request(`${suite.stack.timeline}/v1/incidents/${results[0]!.incidentId}`)).body;
  expect(incident.eventCount).toBe(3);
  expect(incident.alertNames).toContain('OrdersErrorBudgetBurn');
}, 120_000);
