import { fixture, errorPathsOf, eventsOf } from '../../../test/fixtures/fixtures.js';
import type { MappingOptions } from '../shared/mapping-options.js';
import { mapGrafana } from './map-grafana.js';

const options: MappingOptions = { serviceLabels: ['service', 'job', 'app'], serviceAliases: {} };

describe('mapGrafana', () => {
  it("maps Grafana's documented example, keeping the sender's offset in occurredAt", () => {
    const events = eventsOf(mapGrafana(fixture('grafana/firing-docs-example.json'), { ...options, serviceLabels: ['team'] }));
    expect(events.map((event) => [event.id, event.type, event.occurredAt, event.service, event.source])).toEqual([
      ['grafana-c6eadffa33fcdf37-1634025063157-firing', 'alert.triggered', '2021-10-12T09:51:03.157076+02:00', 'blue', 'grafana'],
      ['grafana-bc97ff14869b13e3-1634025363157-firing', 'alert.triggered', '2021-10-12T09:56:03.157076+02:00', 'blue', 'grafana'],
    ]);
    expect(events[0]?.data).toMatchObject({ alertName: 'High memory usage', summary: 'This alert was triggered for zone us-1' });
  });

  it('names each alert without a service label', () => {
    const result = mapGrafana(fixture('grafana/firing-docs-example.json'), options);
    expect(errorPathsOf(result)).toEqual(['alerts.0.labels.service', 'alerts.1.labels.service']);
  });

  it('maps a resolved alert and normalises the service name', () => {
    const [event] = eventsOf(mapGrafana(fixture('grafana/resolved.json'), options));
    expect(event).toEqual({
      id: 'grafana-57c6d9296de2ad39-1743866400000-resolved',
      type: 'alert.resolved',
      occurredAt: '2025-04-05T17:45:00+02:00',
      source: 'grafana',
      service: 'checkout-api',
      data: { alertName: 'Checkout latency', fingerprint: '57c6d9296de2ad39' },
    });
  });

  it('gives a re-sent notification the same ids', () => {
    const ids = () => eventsOf(mapGrafana(fixture('grafana/resolved.json'), options)).map((event) => event.id);
    expect(ids()).toEqual(ids());
  });
});
