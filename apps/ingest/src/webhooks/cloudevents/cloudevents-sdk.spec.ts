import { CloudEvent, emitterFor, HTTP, Mode, type Message } from 'cloudevents';
import { eventsOf, mappingSettings } from '../../../test/fixtures/fixtures.js';
import { mapCloudEvents } from './map-cloudevents.js';
import type { HeaderMap } from './read-cloudevents.js';

/*
 * Requests as the official JavaScript SDK produces them. Express lowercases header names and parses
 * JSON bodies before the controller sees them; `asReceived` does the same.
 */
const options = mappingSettings({ serviceLabels: ['service'] });
const asReceived = (message: Message) => ({
  headers: Object.fromEntries(Object.entries(message.headers).map(([name, value]) => [name.toLowerCase(), String(value)])) as HeaderMap,
  body: JSON.parse(String(message.body)) as unknown,
});

const paged = new CloudEvent({
  specversion: '1.0',
  type: 'dev.aftermath.page.sent',
  source: 'https://oncall.example.com/escalations/orders',
  id: 'page-8812',
  time: '2025-04-05T15:30:00.000Z',
  subject: 'order-service',
  incidentkey: 'INC-2025-0405-ORD',
  datacontenttype: 'application/json',
  data: { responder: 'Dana Oncall', escalationPolicy: 'Orders Primary' },
});

const expected = {
  type: 'page.sent',
  occurredAt: '2025-04-05T15:30:00.000Z',
  source: 'orders',
  service: 'order-service',
  incidentKey: 'INC-2025-0405-ORD',
  data: { responder: 'Dana Oncall', escalationPolicy: 'Orders Primary' },
};

describe('CloudEvents from the official SDK', () => {
  it('accepts HTTP.structured', () => {
    const [event] = eventsOf(mapCloudEvents(asReceived(HTTP.structured(paged)), options));
    expect(event).toMatchObject(expected);
  });

  it('accepts HTTP.binary: attributes in ce-* headers, data as the JSON body', () => {
    const message = HTTP.binary(paged);
    expect(message.headers).toMatchObject({ 'content-type': 'application/json', 'ce-id': 'page-8812', 'ce-incidentkey': 'INC-2025-0405-ORD' });
    const [event] = eventsOf(mapCloudEvents(asReceived(message), options));
    expect(event).toMatchObject(expected);
  });

  it('accepts what an emitter sends in either mode, as the same event', async () => {
    const sent: Message[] = [];
    const transport = async (message: Message) => sent.push(message);
    await emitterFor(transport, { binding: HTTP, mode: Mode.BINARY })(paged);
    await emitterFor(transport, { binding: HTTP, mode: Mode.STRUCTURED })(paged);
    const [binary, structured] = sent.map((message) => eventsOf(mapCloudEvents(asReceived(message), options))[0]);
    expect(binary).toMatchObject(expected);
    expect(binary).toEqual(structured);
  });

  it('accepts a batch of SDK events', () => {
    const resolved = paged.cloneWith({ id: 'status-1', type: 'status.changed', data: { status: 'resolved' } });
    const body = JSON.stringify([paged.toJSON(), resolved.toJSON()]);
    const message = { headers: { 'content-type': 'application/cloudevents-batch+json' }, body };
    const events = eventsOf(mapCloudEvents(asReceived(message), options));
    expect(events.map((event) => event.type)).toEqual(['page.sent', 'status.changed']);
  });
});
