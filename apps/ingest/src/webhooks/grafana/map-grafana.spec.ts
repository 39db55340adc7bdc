import { eventsOf, fixture, mappingSettings } from '../../../test/fixtures/fixtures.js';
import { mapGrafana } from './map-grafana.js';

const options = mappingSettings();

describe('mapGrafana', () => {
  it("maps Grafana's documented example, keeping the sender's offset in occurredAt", () => {
    const events = eventsOf(mapGrafana(fixture('grafana/firing-docs-example.json'), { ...options, serviceLabels: ['team'] }));
    expect(events.map((event) => [event.id, event.type, event.occurredAt, event.service, event.source])).toEqual([
      ['grafana-c6eadffa33fcdf37-1634025063157-firing', 'alert.triggered', '2021-10-12T09:51:03.157+02:00', 'blue', 'grafana'],
      ['grafana-bc97ff14869b13e3-1634025363157-firing', 'alert.triggered', '2021-10-12T09:56:03.157+02:00', 'blue', 'grafana'],
    ]);
    expect(events[0]?.data).toMatchObject({ alertName: 'High memory usage', summary: 'This alert was triggered for zone us-1' });
  });

  it('gives an alert without any service label its folder, else the service unknown', () => {
    const payload = fixture<{ alerts: { labels: Record<string, string> }[] }>('grafana/firing-docs-example.json');
    payload.alerts[0]!.labels.grafana_folder = 'Checkout Team';
    expect(eventsOf(mapGrafana(payload, options)).map((event) => event.service)).toEqual(['checkout-team', 'unknown']);
    const aliased = { ...options, serviceAliases: { 'Checkout Team': 'checkout-api' } };
    expect(eventsOf(mapGrafana(payload, aliased))[0]?.service).toBe('checkout-api');
  });

  it('keeps aside only the alert that cannot be mapped, naming its field', () => {
    const payload = fixture<{ alerts: Record<string, unknown>[] }>('grafana/firing-docs-example.json');
    payload.alerts[1]!.startsAt = 'soon';
    const result = mapGrafana(payload, options);
    expect(result.events.map((event) => event.id)).toEqual(['grafana-c6eadffa33fcdf37-1634025063157-firing']);
    expect(result.keptAside).toEqual([expect.objectContaining({ at: 'alerts.1', errors: [expect.objectContaining({ path: 'alerts.1.startsAt' })] })]);
  });

  it('maps a resolved alert and normalises the service name', () => {
    const [event] = eventsOf(mapGrafana(fixture('grafana/resolved.json'), options));
    expect(event).toEqual({
      id: 'grafana-57c6d9296de2ad39-1743866400000-resolved',
      type: 'alert.resolved',
      occurredAt: '2025-04-05T17:45:00+02:00',
      source: 'grafana',
      service: 'checkout-api',
      correlationKeys: ['dedup:bc385339b189762002e48d9f0641bc28ad7400252849649ee24974d75fb343c2'],
      data: { alertName: 'Checkout latency', fingerprint: '57c6d9296de2ad39' },
    });
  });

  it('gives a re-sent notification the same ids', () => {
    const ids = () => eventsOf(mapGrafana(fixture('grafana/resolved.json'), options)).map((event) => event.id);
    expect(ids()).toEqual(ids());
  });
});
