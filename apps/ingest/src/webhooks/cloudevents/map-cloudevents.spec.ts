import { createHash } from 'node:crypto';
import { errorPathsOf, eventsOf, fixture, mappingSettings } from '../../../test/fixtures/fixtures.js';
import { catalogueType, cloudEventId, envelopeSource, mapCloudEvents } from './map-cloudevents.js';
import type { CloudEventsMessage } from './read-cloudevents.js';

const options = mappingSettings({ serviceLabels: ['service'] });
const structured = (body: unknown): CloudEventsMessage => ({ headers: { 'content-type': 'application/cloudevents+json' }, body });
const batch = (body: unknown): CloudEventsMessage => ({ headers: { 'content-type': 'application/cloudevents-batch+json; charset=utf-8' }, body });

describe('mapCloudEvents', () => {
  it('maps a structured CloudEvent per EVENTS.md', () => {
    const expectedId = `ce-${createHash('sha256').update('https://deploy.example.com/pipelines/order-service-rollback\nA234-1234-1234').digest('hex').slice(0, 32)}`;
    expect(eventsOf(mapCloudEvents(structured(fixture('cloudevents/structured.json')), options))).toEqual([
      {
        id: expectedId,
        type: 'mitigation.applied',
        occurredAt: '2025-04-05T16:05:00Z',
        source: 'order-service-rollback',
        service: 'order-service',
        incidentKey: 'INC-2025-0405-ORD',
        data: { action: 'Rolled back order-service to v2.14.1' },
      },
    ]);
  });

  it('maps every event of a batch, with or without a type prefix', () => {
    const events = eventsOf(mapCloudEvents(batch(fixture('cloudevents/batch.json')), options));
    expect(events.map((event) => [event.type, event.occurredAt, event.source])).toEqual([
      ['status.changed', '2025-04-05T15:40:00+02:00', 'incidents'],
      ['impact.measured', '2025-04-05T15:41:00+02:00', 'incidents'],
    ]);
  });

  it('maps binary mode: attributes from percent-encoded ce-* headers, data from the body', () => {
    const events = eventsOf(mapCloudEvents(fixture<CloudEventsMessage>('cloudevents/binary.json'), options));
    expect(events).toEqual([
      {
        id: cloudEventId('https://chatops.example.com/slack/C024BE91L', '1712332800.000200'),
        type: 'note.added',
        occurredAt: '2025-04-05T15:35:00Z',
        source: 'C024BE91L',
        service: 'order-service',
        incidentKey: 'INC-2025-0405-ORD',
        data: { text: 'Maya took incident command' },
      },
    ]);
  });

  it('names time and subject when they are missing, per event of a batch', () => {
    const [first, second] = fixture<Record<string, unknown>[]>('cloudevents/batch.json');
    delete first!.subject;
    delete second!.time;
    const result = mapCloudEvents(batch([first, second]), options);
    expect(errorPathsOf(result)).toEqual(['[0].subject', '[1].time']);
    expect('errors' in result && result.errors[1]?.message).toMatch(/occurredAt/);
  });

  it('names the CloudEvents attribute a catalogue failure came from', () => {
    const event = { ...fixture('cloudevents/structured.json'), time: '5 minutes ago', data: { note: 'no action' } };
    expect(errorPathsOf(mapCloudEvents(structured(event), options))).toEqual(['time', 'data.action']);
  });

  it('rejects unknown types, non-object data, base64 data and other spec versions', () => {
    const event = fixture('cloudevents/structured.json');
    expect(errorPathsOf(mapCloudEvents(structured({ ...event, type: 'dev.aftermath.alert.exploded' }), options))).toEqual(['type']);
    expect(errorPathsOf(mapCloudEvents(structured({ ...event, data: 'text' }), options))).toEqual(['data']);
    const base64 = { ...event, data: undefined, data_base64: 'e30=' };
    expect(errorPathsOf(mapCloudEvents(structured(base64), options))).toEqual(['data_base64']);
    expect(errorPathsOf(mapCloudEvents(structured({ ...event, specversion: '0.3' }), options))).toEqual(['specversion']);
  });

  it('says so when the request is no CloudEvent at all', () => {
    const plain: CloudEventsMessage = { headers: { 'content-type': 'application/json' }, body: { hello: 'world' } };
    expect(errorPathsOf(mapCloudEvents(plain, options))).toEqual(['']);
    expect(errorPathsOf(mapCloudEvents(batch({ not: 'an array' }), options))).toEqual(['']);
  });
});

describe('CloudEvents attribute mapping', () => {
  it('accepts catalogue types bare or behind a reverse-DNS prefix only', () => {
    expect(catalogueType('alert.triggered')).toBe('alert.triggered');
    expect(catalogueType('dev.aftermath.alert.triggered')).toBe('alert.triggered');
    expect(catalogueType('com.example.ops.root_cause.identified')).toBe('root_cause.identified');
    expect(catalogueType('dev.aftermath.alert.triggered.v2')).toBeUndefined();
    expect(catalogueType('my alert.triggered')).toBeUndefined();
  });

  it('takes the last path segment of a URI reference as the envelope source', () => {
    expect(envelopeSource('https://ci.example.com/deployments/rollback?run=4#x')).toBe('rollback');
    expect(envelopeSource('/sensors/tn-1234567/alerts/')).toBe('alerts');
    expect(envelopeSource('urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66')).toBe('urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66');
  });

  it('keeps events of two sources apart when they reuse an id, and a re-send identical', () => {
    expect(cloudEventId('/a', '1')).not.toBe(cloudEventId('/b', '1'));
    expect(cloudEventId('/a', '1')).toBe(cloudEventId('/a', '1'));
    expect(cloudEventId('/a', '1')).toMatch(/^ce-[0-9a-f]{32}$/);
  });
});
