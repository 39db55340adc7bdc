import { formToEvent, parseWhen } from './form-to-event.js';
import { formFor, RECORD_FORMS } from './record-forms.js';

const context = { incidentId: 'inc-1', service: 'order-service', actor: 'dana@example.com', eventId: 'web-0mx4qen1g-90750a8b-e112-4295-932c-58091fdeda5b', now: new Date('2025-04-06T12:00:00Z') };

describe('formToEvent', () => {
  it('turns a root cause form into the catalogue event, one contributing factor per line', () => {
    const result = formToEvent(formFor('root_cause.identified')!, { summary: ' cache invalidation bug ', category: 'application', contributingFactors: 'first\r\n\r\n second \n', occurredAt: '2025-04-05T15:38' }, context);
    expect(result).toEqual({
      ok: true,
      event: {
        id: context.eventId,
        type: 'root_cause.identified',
        occurredAt: '2025-04-05T15:38:00Z',
        source: 'web',
        service: 'order-service',
        incidentKey: 'inc-1',
        actor: 'dana@example.com',
        data: { summary: 'cache invalidation bug', category: 'application', contributingFactors: ['first', 'second'] },
      },
    });
  });

  it('reads numbers as numbers and a baseline that is not a number as text', () => {
    const measured = formToEvent(formFor('impact.measured')!, { metric: 'error_rate', unit: '%', peak: '48', baseline: '<1', occurredAt: '2025-04-05T15:45' }, context);
    expect(measured.ok && measured.event.data).toEqual({ metric: 'error_rate', unit: '%', peak: 48, baseline: '<1' });
    const latency = formToEvent(formFor('impact.measured')!, { metric: 'latency_p99', unit: 'ms', peak: '2,549', baseline: '475', occurredAt: '2025-04-05T15:45' }, context);
    expect(latency.ok && latency.event.data).toEqual({ metric: 'latency_p99', unit: 'ms', peak: 2549, baseline: 475 });
  });

  it('leaves out what was not typed, so a partial customer impact report keeps the other figures', () => {
    const result = formToEvent(formFor('customer_impact.reported')!, { usersAffected: '3808', customerErrors: '', occurredAt: '2025-04-06T09:00' }, context);
    expect(result.ok && result.event.data).toEqual({ usersAffected: 3808 });
  });

  it('names each field in error, in words a person reads', () => {
    const result = formToEvent(formFor('action_item.added')!, { priority: 'P1', action: '', owner: 'Infra', dueDate: '12/04/2025', occurredAt: 'yesterday' }, context);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.map((error) => error.field)).toEqual(['action', 'occurredAt']);
    const date = formToEvent(formFor('action_item.added')!, { priority: 'P1', action: 'Fix', owner: 'Infra', dueDate: '12/04/2025', occurredAt: '2025-04-06T10:30' }, context);
    expect(!date.ok && date.errors).toEqual([{ field: 'dueDate', message: expect.stringMatching(/^Due date: /) }]);
    const negative = formToEvent(formFor('customer_impact.reported')!, { usersAffected: '-3', occurredAt: '2025-04-06T09:00' }, context);
    expect(!negative.ok && negative.errors).toEqual([{ field: 'usersAffected', message: 'Users affected cannot be negative.' }]);
    const text = formToEvent(formFor('impact.measured')!, { metric: 'error_rate', unit: '%', peak: 'a lot', occurredAt: '2025-04-05T15:45' }, context);
    expect(!text.ok && text.errors).toEqual([{ field: 'peak', message: 'Peak must be a number.' }]);
  });

  it('records a retraction and a merge at the time they are made', () => {
    const retraction = formToEvent(formFor('event.retracted')!, { eventId: 'api-lesson-ww-1', reason: 'wrong incident' }, context);
    expect(retraction.ok && retraction.event).toMatchObject({ type: 'event.retracted', occurredAt: '2025-04-06T12:00:00.000Z', data: { eventId: 'api-lesson-ww-1', reason: 'wrong incident' } });
    const merge = formToEvent(formFor('incident.merged')!, { into: 'INC-2025-0405-ORD' }, context);
    expect(merge.ok && merge.event).toMatchObject({ type: 'incident.merged', incidentKey: 'inc-1', data: { into: 'INC-2025-0405-ORD' } });
  });

  it('offers a form for each event people record, with the catalogue field names', () => {
    expect(RECORD_FORMS.map((form) => form.type)).toEqual(
      expect.arrayContaining(['root_cause.identified', 'impact.measured', 'impact.started', 'customer_impact.reported', 'resolution.step', 'lesson.recorded', 'action_item.added', 'note.added', 'status.changed', 'severity.changed', 'incident.declared']),
    );
    expect(formFor('lesson.recorded')!.fields.map((field) => field.name)).toEqual(['kind', 'text']);
  });
});

describe('parseWhen', () => {
  it('reads a datetime-local value as UTC and keeps a full instant as given', () => {
    expect(parseWhen('2025-04-05T15:38')).toBe('2025-04-05T15:38:00Z');
    expect(parseWhen('2025-04-05T15:38:20')).toBe('2025-04-05T15:38:20Z');
    expect(parseWhen('2025-04-05T17:38:00+02:00')).toBe('2025-04-05T17:38:00+02:00');
    expect(parseWhen('2025-02-30T10:00')).toBeNull();
    expect(parseWhen('')).toBeNull();
  });
});
