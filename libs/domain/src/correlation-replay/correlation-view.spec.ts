import fc from 'fast-check';
import { generatedLog, generatedSettings } from '../../test/generated-logs.js';
import { correlateLog, parseEvent, type CorrelatedLog } from '../index.js';
import { correlationView } from './correlation-view.js';

const shape = (log: CorrelatedLog) => ({
  incidents: log.incidents.map((incident) => ({ id: incident.id, events: incident.events.map((event) => event.id), keys: incident.keys })),
  unattached: log.unattached.map((event) => event.id),
  aliases: [...log.aliases],
});

describe('correlationView: the part of an event correlation reads', () => {
  it('keeps the envelope fields correlation reads and, of data, the fields of its type and the named labels', () => {
    const parsed = parseEvent({
      id: 'a', type: 'alert.triggered', occurredAt: '2025-04-05T10:00:00+02:00', source: 'alertmanager', service: 'api', incidentKey: 'K', correlationKeys: ['pd:1'], actor: 'bot',
      data: { alertName: 'Down', fingerprint: 'f1', summary: 's', severity: 'critical', labels: { cluster: 'eu', team: 'x' } },
    });
    if (!parsed.ok) throw new Error('invalid');
    expect(correlationView(parsed.event, { groupLabels: ['cluster', 'zone'] })).toEqual({
      id: 'a', type: 'alert.triggered', occurredAt: parsed.event.occurredAt, service: 'api', incidentKey: 'K', correlationKeys: ['pd:1'],
      data: { alertName: 'Down', fingerprint: 'f1', labels: { cluster: 'eu' } },
    });
    expect(correlationView(parsed.event, { groupLabels: [] }).data).toEqual({ alertName: 'Down', fingerprint: 'f1' });
  });

  it('correlating the views gives the incidents, keys, unattached events and merges of correlating the events', () => {
    fc.assert(
      fc.property(generatedLog, generatedSettings, (log, settings) => {
        const views = log.map((event) => correlationView(event, { groupLabels: settings.groupLabels ?? [] }));
        expect(shape(correlateLog(views, settings))).toEqual(shape(correlateLog(log, settings)));
      }),
      { numRuns: 300 },
    );
  });
});
