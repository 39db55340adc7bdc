import { createHash } from 'node:crypto';
import { CloudEvent, CONSTANTS, emitterFor, HTTP, httpTransport, Mode } from 'cloudevents';
import { testEnvironment } from '../../../test/support/environment.js';
import { fixture, fixtureText } from './fixtures/fixtures.js';
import {
  bearer,
  grafanaSignature,
  PAGERDUTY_SECRETS,
  pagerDutySignature,
  post,
  request,
  runningIngest,
  type Reply,
} from './support/ingest-kit.js';

/*
 * Every source's realistic payload, sent to a real ingest (tokens and signatures on) by a real HTTP
 * client, and followed all the way: the 202 and its event ids, the messages on the suite's own
 * incident-events.v1 (value = envelope, key = service), and the incidents the real timeline built.
 * Then every delivery is sent again, as the tools do, and nothing in the store changes.
 */

const environment = testEnvironment('ingest_webhooks');

/** Every delivery made, so the last test can repeat each one byte for byte. */
const deliveries: { name: string; again: () => Promise<Reply>; ids: string[] }[] = [];

const suite = runningIngest(environment, ['ingest', 'timeline']);


const ceId = (source: string, id: string) => `ce-${createHash('sha256').update(`${source}\n${id}`).digest('hex').slice(0, 32)}`;

async function getJson<T = any>(path: string): Promise<T> {
  const reply = await request(`${suite.stack.timeline}${path}`);
  expect([path, reply.status]).toEqual([path, 200]);
  return reply.body as T;
}

/**
 * Sends one delivery and follows it: 202 with exactly `ids`, each id on Kafka keyed by its service,
 * and the timeline caught up with the topic before the next delivery, so correlation sees the
 * deliveries in the order a tool would send them.
 */
async function deliver(name: string, send: () => Promise<Reply>, ids: string[]): Promise<any[]> {
  const reply = await send();
  expect([name, reply.status, reply.body]).toEqual([name, 202, { accepted: ids.length, eventIds: ids }]);
  deliveries.push({ name, again: send, ids });
  const messages = await suite.reader.waitForIds(ids);
  for (const message of messages) expect({ key: message.key, id: message.value.id }).toEqual({ key: message.value.service, id: message.value.id });
  await suite.infra.timelineCaughtUp();
  return messages.map((message) => message.value);
}

const eventIdsOf = async (incident: string) => ((await getJson(`/v1/incidents/${encodeURIComponent(incident)}/events`)).events as { id: string }[]).map((e) => e.id);

describe('each source, as the tool sends it, lands on Kafka and on the timeline', () => {
  test('Alertmanager (version 4, bearer token): a firing group of two alerts, then its resolution', async () => {
    const url = `${suite.stack.ingest}/v1/webhooks/alertmanager`;
    const firing = fixtureText('alertmanager/firing.json');
    const resolved = fixtureText('alertmanager/resolved.json');
    const [orders, payments] = await deliver('alertmanager firing', () => post(url, firing), [
      'am-c6eadffa33fcdf37-1743866880123-firing',
      'am-bc97ff14869b13e3-1743866970000-firing',
    ]);
    expect(orders).toMatchObject({ type: 'alert.triggered', source: 'alertmanager', service: 'order-service', occurredAt: '2025-04-05T15:28:00.123Z' }); // nanoseconds cut to ms (EVENTS.md, Limits)
    expect(orders.data).toMatchObject({ alertName: 'HighErrorRate', severity: 'critical', summary: '5xx rate above 5% on order-service', fingerprint: 'c6eadffa33fcdf37' });
    expect(payments).toMatchObject({ service: 'payments-api', incidentKey: 'INC-2025-0405-ORD' });
    const [resolution] = await deliver('alertmanager resolved', () => post(url, resolved), ['am-c6eadffa33fcdf37-1743866880123-resolved']);
    expect(resolution).toMatchObject({ type: 'alert.resolved', occurredAt: '2025-04-05T16:41:00Z', service: 'order-service' });

    // One notification group is one incident: both alerts carry the group's key dedup:<sha256 of groupKey>.
    const { items } = await getJson('/v1/incidents?service=order-service');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ primaryService: 'order-service', eventCount: 3 });
    expect(await eventIdsOf(items[0].id)).toEqual(['am-c6eadffa33fcdf37-1743866880123-firing', 'am-bc97ff14869b13e3-1743866970000-firing', 'am-c6eadffa33fcdf37-1743866880123-resolved']);
    const payment = await getJson('/v1/incidents/INC-2025-0405-ORD');
    expect(payment.id).toBe(items[0].id);
  }, 60_000);

  test('Grafana (bearer token and X-Grafana-Alerting-Signature over the raw body): firing, then resolved', async () => {
    const url = `${suite.stack.ingest}/v1/webhooks/grafana`;
    const signed = (body: string) => () => post(url, body, { 'x-grafana-alerting-signature': grafanaSignature(body) });
    const [firing] = await deliver('grafana firing', signed(fixtureText('grafana/firing.json')), ['grafana-57c6d9296de2ad39-1743866400000-firing']);
    expect(firing).toMatchObject({ type: 'alert.triggered', source: 'grafana', service: 'checkout-api', occurredAt: '2025-04-05T17:20:00+02:00' });
    await deliver('grafana resolved', signed(fixtureText('grafana/resolved.json')), ['grafana-57c6d9296de2ad39-1743866400000-resolved']);

    const { items } = await getJson('/v1/incidents?service=checkout-api');
    expect(items).toHaveLength(1);
    expect(await eventIdsOf(items[0].id)).toEqual(['grafana-57c6d9296de2ad39-1743866400000-firing', 'grafana-57c6d9296de2ad39-1743866400000-resolved']);
  }, 60_000);

  test('PagerDuty v3 (X-PagerDuty-Signature, no bearer token, secrets in rotation): the incident from trigger to resolve', async () => {
    const url = `${suite.stack.ingest}/v1/webhooks/pagerduty`;
    const [current, next] = PAGERDUTY_SECRETS;
    // PagerDuty signs with every secret of the subscription: one, the other, or both during a rotation.
    const signers = [[current!], [next!], [current!, next!]];
    const names = ['triggered', 'acknowledged', 'escalated', 'priority-updated', 'annotated', 'status-update-published', 'resolved'];
    const delivered: any[] = [];
    for (const [index, name] of names.entries()) {
      const body = fixtureText(`pagerduty/incident-${name}.json`);
      const signature = pagerDutySignature(body, ...signers[index % signers.length]!);
      const id = `pagerduty-${fixture<{ event: { id: string } }>(`pagerduty/incident-${name}.json`).event.id}`;
      delivered.push(...(await deliver(`pagerduty ${name}`, () => post(url, body, { authorization: undefined, 'x-pagerduty-signature': signature }), [id])));
    }
    expect(delivered.map((event) => [event.type, event.service])).toEqual([
      ['page.sent', 'order-service'],
      ['page.acknowledged', 'order-service'],
      ['page.escalated', 'order-service'],
      ['severity.changed', 'order-service'],
      ['note.added', 'unknown'],
      ['note.added', 'unknown'],
      ['status.changed', 'order-service'],
    ]);
    expect(delivered.every((event) => event.incidentKey === 'pagerduty:Q0RIJJZL24RC6W')).toBe(true);
    const ping = fixtureText('pagerduty/pagey-ping.json');
    await deliver('pagerduty ping', () => post(url, ping, { authorization: undefined, 'x-pagerduty-signature': pagerDutySignature(ping, current!) }), []);

    const incident = await getJson('/v1/incidents/pagerduty:Q0RIJJZL24RC6W');
    const { items } = await getJson('/v1/incidents?service=order-service');
    expect(items.map((item: { id: string }) => item.id)).toEqual([incident.id]);
    // Nine PagerDuty and Alertmanager events of order-service, and the payments-api alert of the same group.
    expect(incident).toMatchObject({ primaryService: 'order-service', status: 'resolved', open: false, eventCount: 10 });
    expect(incident.keys).toContain('pagerduty:Q0RIJJZL24RC6W');
    expect(await eventIdsOf(incident.id)).toEqual(expect.arrayContaining(delivered.map((event) => event.id)));
  }, 60_000);

  test('Opsgenie (bearer token): create, acknowledge, note, escalate, close', async () => {
    const url = `${suite.stack.ingest}/v1/webhooks/opsgenie`;
    const alertId = '052652ac-5d1c-464a-812a-7dd18bbfba8c';
    const sent: Record<string, string> = {
      create: 'Create-1743866880104002000',
      acknowledge: 'Acknowledge-1743867012764002300',
      'add-note': 'AddNote-1743867300',
      escalate: 'Escalate-1743867600000',
      close: 'Close-1743871260500',
    };
    const types: string[] = [];
    for (const [name, suffix] of Object.entries(sent)) {
      const body = fixtureText(`opsgenie/${name}.json`);
      const [event] = await deliver(`opsgenie ${name}`, () => post(url, body), [`opsgenie-${alertId}-${suffix}`]);
      expect(event).toMatchObject({ source: 'opsgenie', service: 'checkout', incidentKey: `opsgenie:${alertId}` });
      types.push(event.type);
    }
    expect(types).toEqual(['alert.triggered', 'page.acknowledged', 'note.added', 'page.escalated', 'status.changed']);
    const incident = await getJson(`/v1/incidents/opsgenie:${alertId}`);
    expect(incident).toMatchObject({ primaryService: 'checkout', status: 'resolved', open: false, eventCount: 5 });
  }, 60_000);

  test('CloudEvents from the official SDK as the sender: binary and structured emitters, and a batch', async () => {
    const url = `${suite.stack.ingest}/v1/cloudevents`;
    const binaryFixture = fixture<{ headers: Record<string, string>; body: Record<string, unknown> }>('cloudevents/binary.json');
    const attributes = Object.fromEntries(
      Object.entries(binaryFixture.headers)
        .filter(([name]) => name.startsWith('ce-'))
        .map(([name, value]) => [name.slice(3), decodeURIComponent(value)]),
    );
    const binary = new CloudEvent({ ...attributes, datacontenttype: 'application/json', data: binaryFixture.body } as never);
    const structured = new CloudEvent(fixture('cloudevents/structured.json') as never);
    const batch = fixture<Record<string, unknown>[]>('cloudevents/batch.json').map((attrs) => new CloudEvent(attrs as never));

    // The SDK's own HTTP transport; its response carries the body only.
    const emit = (mode: Mode) => emitterFor(httpTransport(url), { binding: HTTP, mode });
    const viaEmitter = (event: CloudEvent<unknown>, mode: Mode) => async (): Promise<Reply> => {
      const response = (await emit(mode)(event, { headers: bearer() })) as { body: string; headers: Record<string, string> };
      return { status: 202, headers: new Headers(), text: response.body, body: JSON.parse(response.body), ms: 0 };
    };
    // The same SDK messages sent with fetch, where the status is visible too.
    const viaFetch = (message: { headers: Record<string, unknown>; body: unknown }) => () =>
      post(url, String(message.body), Object.fromEntries(Object.entries(message.headers).map(([name, value]) => [name, String(value)])));

    const binaryId = ceId('https://chatops.example.com/slack/C024BE91L', '1712332800.000200');
    const [note] = await deliver('cloudevents binary (emitter)', viaEmitter(binary, Mode.BINARY), [binaryId]);
    expect(note).toMatchObject({ type: 'note.added', source: 'C024BE91L', service: 'order-service', incidentKey: 'INC-2025-0405-ORD', data: { text: 'Maya took incident command' } });
    await deliver('cloudevents binary (fetch)', viaFetch(HTTP.binary(binary)), [binaryId]);

    const structuredId = ceId('https://deploy.example.com/pipelines/order-service-rollback', 'A234-1234-1234');
    const [mitigation] = await deliver('cloudevents structured (emitter)', viaEmitter(structured, Mode.STRUCTURED), [structuredId]);
    expect(mitigation).toMatchObject({ type: 'mitigation.applied', source: 'order-service-rollback', incidentKey: 'INC-2025-0405-ORD' });
    expect(Date.parse(mitigation.occurredAt)).toBe(Date.parse('2025-04-05T16:05:00Z'));
    await deliver('cloudevents structured (fetch)', viaFetch(HTTP.structured(structured)), [structuredId]);

    // The SDK parses batches but has no batch emitter: the batch is its events' JSON, and the SDK reads it back as a batch.
    const batchMessage = { headers: { 'content-type': CONSTANTS.MIME_CE_BATCH }, body: JSON.stringify(batch) };
    expect(HTTP.toEvent(batchMessage)).toHaveLength(2);
    const batchIds = [ceId('/statuspage/incidents', '42'), ceId('/statuspage/incidents', '43')];
    const batchEvents = await deliver('cloudevents batch', viaFetch(batchMessage), batchIds);
    expect(batchEvents.map((event) => [event.type, event.source])).toEqual([['status.changed', 'incidents'], ['impact.measured', 'incidents']]);

    // The key INC-2025-0405-ORD is linked to the incident of the Alertmanager group (its payments-api alert carried it), so both join it.
    const incident = await getJson('/v1/incidents/INC-2025-0405-ORD');
    expect(incident).toMatchObject({ primaryService: 'order-service', eventCount: 12 });
    expect(await eventIdsOf(incident.id)).toEqual(expect.arrayContaining(['am-bc97ff14869b13e3-1743866970000-firing', binaryId, structuredId]));
    // The batch's events are an hour before any order-service incident: kept, unattached, never dropped.
    const unattached = await getJson('/v1/unattached-events');
    expect(unattached.items.map((event: { id: string }) => event.id).sort()).toEqual([...batchIds].sort());
  }, 60_000);
});

test('every delivery sent again (Alertmanager repeats whole groups) is accepted again and changes nothing', async () => {
  const snapshot = async () => ({
    events: await suite.infra.sql('SELECT event_id, incident_id, payload_sha256 FROM events ORDER BY event_id'),
    keys: await suite.infra.sql('SELECT key, incident_id FROM incident_keys ORDER BY key'),
    conflicts: await suite.infra.sql('SELECT event_id FROM event_conflicts'),
    incidents: (await getJson('/v1/incidents?limit=500')).items,
    unattached: await getJson('/v1/unattached-events'),
  });
  const before = await snapshot();
  const uniqueIds = new Set(deliveries.flatMap((delivery) => delivery.ids));
  expect(before.events).toHaveLength(uniqueIds.size);
  expect(before.incidents).toHaveLength(3);
  const onTopic = await suite.infra.eventsOnTopic();

  let resent = 0;
  for (const delivery of deliveries) {
    const reply = await delivery.again();
    expect([delivery.name, reply.status, reply.body]).toEqual([delivery.name, 202, { accepted: delivery.ids.length, eventIds: delivery.ids }]);
    resent += delivery.ids.length;
  }
  // They really went to Kafka again, and the timeline consumed them ...
  expect(await suite.infra.eventsOnTopic()).toBe(onTopic + resent);
  await suite.infra.timelineCaughtUp();
  // ... as duplicates: the same rows, keys, incident states and unattached events as before.
  const after = await snapshot();
  expect(after).toEqual(before);
  expect(after.conflicts).toEqual([]);
}, 60_000);
