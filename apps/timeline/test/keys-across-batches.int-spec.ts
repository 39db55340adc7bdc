import { correlateLog, parseEvent, type IncidentEvent } from '@app/domain';
import { testEnvironment } from '../../../test/support/environment.js';
import { getJson, publish, runningTimeline, waitUntilConsumed, type Envelope } from './support/timeline-kit.js';

/*
 * Rule 1 across batches: a later batch must find what an earlier one stored by every kind of key, or the
 * partition would depend on arrival order. With CORRELATION_GROUP_LABELS, a label key (which no projection
 * lists); and an unattached event waiting by one of its correlationKeys on a service whose windows the
 * event that takes it never looks at.
 */

const environment = testEnvironment('tl_keys');
const suite = runningTimeline(environment, { CORRELATION_GROUP_LABELS: 'cluster,alertname' });

const alert = (id: string, service: string, at: string, labels: Record<string, string>, extra: Record<string, unknown> = {}): Envelope => ({
  id, type: 'alert.triggered', occurredAt: at, source: 'test', service, data: { alertName: labels.alertname ?? 'A', fingerprint: `${id}-fp`, labels }, ...extra,
});

async function oneByOne(events: Envelope[]): Promise<void> {
  for (const event of events) {
    await publish(suite.kit, [event]);
    await waitUntilConsumed(suite.kit);
  }
}

const parsed = (envelopes: Envelope[]): IncidentEvent[] => envelopes.map((envelope) => {
  const result = parseEvent(envelope);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.event;
});

async function incidentsOf(ids: string[]): Promise<(string | undefined)[]> {
  const { results } = await getJson<{ results: { incidentId?: string }[] }>(`${suite.stack.timeline}/v1/events/lookup`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ids }),
  });
  return results.map((result) => result.incidentId);
}

test('alerts with equal label values, days apart on different services and sent latest first, are one incident as the CLI says', async () => {
  const disk = { cluster: 'eu-1', alertname: 'DiskFull' };
  const events = [
    alert('labels-late', 'db', '2026-04-03T10:00:00Z', disk),
    alert('labels-other', 'api', '2026-04-02T10:00:00Z', { cluster: 'us-1', alertname: 'DiskFull' }),
    alert('labels-first', 'web', '2026-04-01T10:00:00Z', disk),
  ];
  await oneByOne(events);
  const expected = correlateLog(parsed(events), { groupLabels: ['cluster', 'alertname'] }).incidents;
  expect(expected.map((incident) => incident.events.map((event) => event.id))).toEqual([['labels-first', 'labels-late'], ['labels-other']]);
  expect(await incidentsOf(['labels-first', 'labels-late', 'labels-other'])).toEqual([expected[0]!.id, expected[0]!.id, expected[1]!.id]);
}, 60_000);

test('an acknowledgement waiting by its correlation key on another service joins the alert that carries the key', async () => {
  const ack: Envelope = { id: 'keyed-ack', type: 'page.acknowledged', occurredAt: '2026-04-05T10:00:00Z', source: 'test', service: 'pagerduty-svc', correlationKeys: ['dedup:abc'], data: {} };
  const opener = alert('keyed-alert', 'alertmanager-svc', '2026-04-05T09:00:00Z', { cluster: 'eu-2', alertname: 'Latency' }, { correlationKeys: ['dedup:abc'] });
  await oneByOne([ack, opener]);
  const [expected] = correlateLog(parsed([ack, opener]), { groupLabels: ['cluster', 'alertname'] }).incidents;
  expect(expected!.events.map((event) => event.id)).toEqual(['keyed-alert', 'keyed-ack']);
  expect(await incidentsOf(['keyed-alert', 'keyed-ack'])).toEqual([expected!.id, expected!.id]);
}, 60_000);
