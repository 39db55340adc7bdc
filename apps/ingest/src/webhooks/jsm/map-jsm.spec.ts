import { eventsOf, fixture, mappingSettings } from '../../../test/fixtures/fixtures.js';
import { mapJsm } from './map-jsm.js';

const options = mappingSettings();

describe('mapJsm (the Opsgenie alert action data, as JSM Operations sends it)', () => {
  it('maps Create like Opsgenie, under its own source, ids and keys, with the same dedup key', () => {
    const [event] = eventsOf(mapJsm(fixture('opsgenie/create.json'), options));
    expect(event).toMatchObject({
      id: 'jsm-052652ac-5d1c-464a-812a-7dd18bbfba8c-Create-1743866880104002000',
      type: 'alert.triggered',
      source: 'jsm',
      incidentKey: 'jsm:052652ac-5d1c-464a-812a-7dd18bbfba8c',
      correlationKeys: ['dedup:checkout-5xx'],
    });
  });

  it('names Jira Service Management in the notes it writes', () => {
    const [event] = eventsOf(mapJsm(fixture('opsgenie/close.json'), options));
    expect(event?.data).toEqual({ status: 'resolved', note: 'Alert closed in Jira Service Management by maya@example.com' });
  });
});
