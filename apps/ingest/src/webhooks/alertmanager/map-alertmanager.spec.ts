import { errorPathsOf, eventsOf, fixture, mappingSettings } from '../../../test/fixtures/fixtures.js';
import { labelsFingerprint } from './labels-fingerprint.js';
import { mapAlertmanager } from './map-alertmanager.js';

const options = mappingSettings();
const GROUP_KEY = `dedup:25ee3f82c3fceb8276b249d27f81cfae2b012e1d471e6572f1944df28c0b70a4`; // sha256 of the fixture's groupKey
const firing = () => fixture<{ alerts: Record<string, any>[] }>('alertmanager/firing.json');

describe('mapAlertmanager', () => {
  it('maps a firing alert to alert.triggered at startsAt, with its labels', () => {
    const [event] = eventsOf(mapAlertmanager(firing(), options));
    expect(event).toEqual({
      id: 'am-c6eadffa33fcdf37-1743866880123-firing',
      type: 'alert.triggered',
      // Alertmanager's nanoseconds, cut to the milliseconds the projection and the store use.
      occurredAt: '2025-04-05T15:28:00.123Z',
      source: 'alertmanager',
      service: 'order-service',
      correlationKeys: [GROUP_KEY],
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
      correlationKeys: [GROUP_KEY],
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

  it('gives an alert without any service label the service unknown (aggregated rules drop job)', () => {
    const payload = firing();
    delete payload.alerts[1]!.labels.job;
    expect(eventsOf(mapAlertmanager(payload, options))[1]?.service).toBe('unknown');
  });

  it('takes groups from relays and old Alertmanagers: no version, no fingerprint, no groupKey', () => {
    const payload = firing() as Record<string, any>;
    delete payload.version;
    delete payload.groupKey;
    delete payload.alerts[0].fingerprint;
    const [event] = eventsOf(mapAlertmanager(payload, options));
    // Alertmanager's own fingerprint of these labels (model.LabelSet.Fingerprint, labels-fingerprint.spec.ts).
    expect(event?.data).toMatchObject({ fingerprint: labelsFingerprint(payload.alerts[0].labels) });
    expect(event?.id).toBe(`am-${labelsFingerprint(payload.alerts[0].labels)}-1743866880123-firing`);
    expect(event?.correlationKeys).toBeUndefined();
  });

  it('publishes the alerts that map and keeps aside, by path, the ones that do not', () => {
    const payload = { ...firing(), version: 5 };
    payload.alerts[0]!.startsAt = 'yesterday';
    const result = mapAlertmanager(payload, options);
    expect(result.events.map((event) => event.service)).toEqual(['payments-api']);
    expect(errorPathsOf(result)).toEqual(['alerts.0.startsAt']);
    expect(result.keptAside[0]).toMatchObject({ at: 'alerts.0', reason: expect.stringContaining('alerts.0.startsAt') });
  });

  it('keeps aside, by its payload field, an alert the catalogue refuses', () => {
    const payload = firing();
    delete payload.alerts[0]!.labels.alertname;
    delete (payload as Record<string, any>).commonLabels.alertname;
    const result = mapAlertmanager(payload, options);
    expect(errorPathsOf(result)).toEqual(['alerts.0.labels.alertname']);
    expect(result.events).toHaveLength(1);
  });

  it('keeps the whole body aside when it has no alerts array', () => {
    const result = mapAlertmanager({ evalMatches: [], ruleName: 'Test notification', state: 'alerting' }, options);
    expect(result).toEqual({ events: [], keptAside: [expect.objectContaining({ at: '', errors: [expect.objectContaining({ path: 'alerts' })] })] });
  });

  it('needs the end time of a resolved alert', () => {
    const payload = fixture<{ alerts: Record<string, unknown>[] }>('alertmanager/resolved.json');
    payload.alerts[0]!.endsAt = '0001-01-01T00:00:00Z';
    expect(errorPathsOf(mapAlertmanager(payload, options))).toEqual(['alerts.0.endsAt']);
  });
});
