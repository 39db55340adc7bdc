import { errorPathsOf, eventsOf, fixture, mappingSettings } from '../../../test/fixtures/fixtures.js';
import { mapOpsgenie } from './map-opsgenie.js';

const options = mappingSettings({ serviceAliases: { checkout: 'checkout-api' } });
const map = (name: string) => eventsOf(mapOpsgenie(fixture(`opsgenie/${name}.json`), options));
type Payload = { action: string; alert: Record<string, any> };

describe('mapOpsgenie', () => {
  it('maps Create to alert.triggered at createdAt (milliseconds), service from the service: tag through the aliases', () => {
    expect(map('create')).toEqual([
      {
        id: 'opsgenie-052652ac-5d1c-464a-812a-7dd18bbfba8c-Create-1743866880104002000',
        type: 'alert.triggered',
        occurredAt: '2025-04-05T15:28:00.104Z',
        source: 'opsgenie',
        service: 'checkout-api',
        incidentKey: 'opsgenie:052652ac-5d1c-464a-812a-7dd18bbfba8c',
        correlationKeys: ['dedup:checkout-5xx'],
        actor: 'Alertmanager',
        data: { alertName: 'Checkout API 5xx above threshold', severity: 'P2', fingerprint: 'checkout-5xx' },
      },
    ]);
  });

  it.each([
    ['acknowledge', 'page.acknowledged', '2025-04-05T15:30:12.764Z', { responder: 'maya@example.com' }],
    ['add-note', 'note.added', '2025-04-05T15:35:00.000Z', { text: 'Cache invalidation bug suspected; rolling back.' }],
    ['escalate', 'page.escalated', '2025-04-05T15:40:00.000Z', {}],
    ['close', 'status.changed', '2025-04-05T16:41:00.500Z', { status: 'resolved', note: 'Alert closed in Opsgenie by maya@example.com' }],
  ])('maps %s to %s at updatedAt, whatever its unit', (name, type, occurredAt, data) => {
    expect(map(name)[0]).toMatchObject({ type, occurredAt, data, incidentKey: 'opsgenie:052652ac-5d1c-464a-812a-7dd18bbfba8c' });
  });

  it('gives a retried delivery the same id and each action its own', () => {
    expect(map('acknowledge')[0]?.id).toBe(map('acknowledge')[0]?.id);
    const ids = ['create', 'acknowledge', 'add-note', 'escalate', 'close'].map((name) => map(name)[0]?.id);
    expect(new Set(ids).size).toBe(5);
  });

  it('maps AssignOwnership to page.escalated to the new owner, and other actions to notes', () => {
    const payload = fixture<Payload>('opsgenie/escalate.json');
    payload.action = 'AssignOwnership';
    payload.alert.owner = 'sam@example.com';
    expect(eventsOf(mapOpsgenie(payload, options))[0]).toMatchObject({ type: 'page.escalated', data: { responder: 'sam@example.com' } });
    payload.action = 'AddTags';
    expect(eventsOf(mapOpsgenie(payload, options))[0]).toMatchObject({ type: 'note.added', data: { text: 'Opsgenie AddTags by Alertmanager' } });
  });

  it('falls back to the entity when no tag names a service', () => {
    const payload = fixture<Payload>('opsgenie/create.json');
    payload.alert.tags = ['env:prod'];
    expect(eventsOf(mapOpsgenie(payload, options))[0]?.service).toBe('checkout-api');
    payload.alert.tags = ['app=Billing Worker'];
    expect(eventsOf(mapOpsgenie(payload, options))[0]?.service).toBe('billing-worker');
  });

  it('takes what Opsgenie really sends: no service tag, an empty entity, a numeric priority, nulls', () => {
    const bare = fixture<Payload>('opsgenie/create.json');
    bare.alert.tags = null;
    bare.alert.entity = '';
    bare.alert.priority = 3;
    bare.alert.description = null;
    expect(eventsOf(mapOpsgenie(bare, options))[0]).toMatchObject({ service: 'unknown', data: { severity: 'P3' } });
  });

  it('names the field when a note or the timestamps are missing', () => {
    const noNote = fixture<Payload>('opsgenie/add-note.json');
    delete noNote.alert.note;
    expect(errorPathsOf(mapOpsgenie(noNote, options))).toEqual(['alert.note']);
    const noTime = fixture<Payload>('opsgenie/create.json');
    noTime.alert.createdAt = '2025-04-05';
    expect(errorPathsOf(mapOpsgenie(noTime, options))).toEqual(['alert.createdAt']);
  });
});
