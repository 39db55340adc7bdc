import { errorPathsOf, eventsOf, fixture, mappingSettings } from '../../../test/fixtures/fixtures.js';
import { mapPagerDuty } from './map-pagerduty.js';

const options = mappingSettings({ serviceLabels: ['service'], serviceAliases: { 'Order Service': 'order-service' } });
const map = (name: string) => eventsOf(mapPagerDuty(fixture(`pagerduty/${name}.json`), options));
type Payload = { event: { data: Record<string, any>; event_type: string } };

describe('mapPagerDuty', () => {
  it('maps incident.triggered to page.sent to the first assignee, keyed by the incident', () => {
    expect(map('incident-triggered')).toEqual([
      {
        id: 'pagerduty-5ac64822-4adc-4fda-ade0-410becf0de4f',
        type: 'page.sent',
        occurredAt: '2025-04-05T15:30:00.169Z',
        source: 'pagerduty',
        service: 'order-service',
        incidentKey: 'pagerduty:Q0RIJJZL24RC6W',
        correlationKeys: ['dedup:baf7cf21b1da41b4b0221008339ff357'],
        actor: 'Order Service',
        data: { responder: 'Dana Oncall', escalationPolicy: 'Orders Primary' },
      },
    ]);
  });

  it.each([
    ['incident-acknowledged', 'page.acknowledged', { responder: 'Dana Oncall' }],
    ['incident-escalated', 'page.escalated', { responder: 'Sam Secondary' }],
    ['incident-priority-updated', 'severity.changed', { severity: 'P1' }],
    ['incident-resolved', 'status.changed', { status: 'resolved', note: 'Resolved in PagerDuty by Dana Oncall' }],
  ])('maps %s to %s', (name, type, data) => {
    const [event] = map(name);
    expect(event).toMatchObject({ type, data, service: 'order-service', incidentKey: 'pagerduty:Q0RIJJZL24RC6W' });
  });

  it('maps a note and a status update to note.added, attached by incidentKey since they name no service', () => {
    const [note] = map('incident-annotated');
    expect(note).toMatchObject({ type: 'note.added', service: 'unknown', incidentKey: 'pagerduty:Q0RIJJZL24RC6W' });
    expect(note?.data).toEqual({ text: 'Rolled back order-service to v2.14.1; error rate dropping.' });
    expect(map('incident-status-update-published')[0]?.data).toEqual({ text: 'A fix for this incident is being rolled out' });
  });

  it('takes null reference objects: no service, agent, assignees, escalation policy or priority', () => {
    const payload = fixture<Payload & { event: { agent: unknown } }>('pagerduty/incident-triggered.json');
    Object.assign(payload.event.data, { service: null, assignees: null, escalation_policy: null, priority: null, incident_key: null, conference_bridge: null });
    payload.event.agent = null;
    expect(eventsOf(mapPagerDuty(payload, options))).toEqual([
      expect.objectContaining({ type: 'page.sent', service: 'unknown', incidentKey: 'pagerduty:Q0RIJJZL24RC6W', data: {} }),
    ]);
  });

  it('keeps a priority outside P1-P5 as a note, and an unknown incident event type too', () => {
    const payload = fixture<Payload>('pagerduty/incident-priority-updated.json');
    payload.event.data.priority.summary = 'SEV-1';
    expect(eventsOf(mapPagerDuty(payload, options))[0]).toMatchObject({ type: 'note.added', data: { text: 'Priority changed to SEV-1 by Dana Oncall' } });
    payload.event.event_type = 'incident.conference_bridge.updated';
    expect(eventsOf(mapPagerDuty(payload, options))[0]?.data).toEqual({ text: 'PagerDuty incident.conference_bridge.updated by Dana Oncall' });
  });

  it('accepts pagey.ping with no events', () => {
    expect(map('pagey-ping')).toEqual([]);
  });

  it('gives a redelivery the same id', () => {
    expect(map('incident-acknowledged')).toEqual(map('incident-acknowledged'));
  });

  it('normalises a service name that has no alias', () => {
    const payload = fixture<Payload>('pagerduty/incident-triggered.json');
    payload.event.data.service.summary = 'Payments API (EU)';
    expect(eventsOf(mapPagerDuty(payload, options))[0]?.service).toBe('payments-api-eu');
  });

  it('names the payload field of what is missing or unusable', () => {
    const noService = fixture<Payload>('pagerduty/incident-triggered.json');
    noService.event.data.service.summary = '***';
    expect(eventsOf(mapPagerDuty(noService, options))[0]?.service).toBe('unknown');
    const emptyNote = fixture<Payload>('pagerduty/incident-annotated.json');
    emptyNote.event.data.content = '';
    expect(errorPathsOf(mapPagerDuty(emptyNote, options))).toEqual(['event.data.content']);
    const badTime = fixture<Payload & { event: { occurred_at: string } }>('pagerduty/incident-resolved.json');
    badTime.event.occurred_at = '2025-04-05 16:41';
    expect(errorPathsOf(mapPagerDuty(badTime, options))).toEqual(['event.occurred_at']);
    expect(errorPathsOf(mapPagerDuty({ event: { id: 'x' } }, options))).toEqual(['event.event_type', 'event.occurred_at']);
  });
});
