import { fixture, errorPathsOf, eventsOf } from '../../../test/fixtures/fixtures.js';
import type { MappingOptions } from '../shared/mapping-options.js';
import { mapAlertmanager } from './map-alertmanager.js';

const options: MappingOptions = { serviceLabels: ['service', 'job', 'app'], serviceAliases: {} };
const firing = () => fixture<{ alerts: Record<string, any>[] }>('alertmanager/firing.json');

describe('mapAlertmanager', () => {
  it('maps a firing alert to alert.triggered at startsAt, with its labels', () => {
    const [event] = eventsOf(mapAlertmanager(firing(), options));
    expect(event).toEqual({
      id: 'am-c6eadffa33fcdf37-1743866880123-firing',
      type: 'alert.triggered',
      occurredAt: '2025-04-05T15:28:00.123456789Z',
      source: 'alertmanager',
      service: 'order-service',
      data: {
        alertName: 'HighErrorRate',
        severity: 'critical',
        summary: '5xx rate above 5% on order-service',
        fingerprint: 'c6eadffa33fcdf37',
        labels: { alertname: 'HighErrorRate', severity: 'critical', env: 'prod', service: 'order-service', instance: 'order-7d9f:8080' },
      },
    });
  });

  it('falls back to the job label, the description and an incident_key annotation', () => {
    const second = eventsOf(mapAlertmanager(firing(), options))[1];
    expect(second).toMatchObject({ service: 'payments-api', incidentKey: 'INC-2025-0405-ORD', data: { summary: 'payments-api error ratio is 12%' } });
  });

  it('applies the alias map before normalising', () => {
    const aliased = { ...options, serviceAliases: { 'Payments API': 'payments' } };
    expect(eventsOf(mapAlertmanager(firing(), aliased))[1]?.service).toBe('payments');
  });

  it('maps a resolved alert to alert.resolved at endsAt, a different id from its firing', () => {
    const [event] = eventsOf(mapAlertmanager(fixture('alertmanager/resolved.json'), options));
    expect(event).toEqual({
      id: 'am-c6eadffa33fcdf37-1743866880123-resolved',
      type: 'alert.resolved',
      occurredAt: '2025-04-05T16:41:00Z',
      source: 'alertmanager',
      service: 'order-service',
      data: { alertName: 'HighErrorRate', fingerprint: 'c6eadffa33fcdf37' },
    });
  });

  it('gives a re-sent group the same ids, and a new firing episode a new one', () => {
    const ids = (payload: unknown) => eventsOf(mapAlertmanager(payload, options)).map((event) => event.id);
    expect(ids(firing())).toEqual(ids(firing()));
    const later = firing();
    later.alerts[0]!.startsAt = '2025-04-05T18:00:00Z';
    expect(ids(later)[0]).toBe('am-c6eadffa33fcdf37-1743876000000-firing');
  });

  it('names the service label when no configured label gives a service', () => {
    const payload = firing();
    delete payload.alerts[1]!.labels.job;
    const result = mapAlertmanager(payload, options);
    expect(errorPathsOf(result)).toEqual(['alerts.1.labels.service']);
  });

  it('rejects other webhook versions and malformed alert fields by path', () => {
    const payload = { ...firing(), version: '5' };
    payload.alerts[0]!.startsAt = 'yesterday';
    expect(errorPathsOf(mapAlertmanager(payload, options))).toEqual(['version', 'alerts.0.startsAt']);
  });

  it('reports a catalogue failure at the payload field it came from', () => {
    const payload = firing();
    delete payload.alerts[0]!.labels.alertname;
    const result = mapAlertmanager(payload, options);
    expect(errorPathsOf(result)).toEqual(['alerts.0.labels.alertname']);
  });

  it('needs the end time of a resolved alert', () => {
    const payload = fixture<{ alerts: Record<string, unknown>[] }>('alertmanager/resolved.json');
    payload.alerts[0]!.endsAt = '0001-01-01T00:00:00Z';
    expect(errorPathsOf(mapAlertmanager(payload, options))).toEqual(['alerts.0.endsAt']);
  });
});
