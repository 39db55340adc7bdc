import { milestoneSourceOf, parseEvent, project, type IncidentEvent } from '../index.js';

function ev(id: string, type: string, clock: string, data: object = {}, fields: Record<string, unknown> = {}): IncidentEvent {
  const result = parseEvent({ id, type, occurredAt: `2025-04-05T${clock}:00Z`, source: 'api', service: 'orders', data, ...fields });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.event;
}

const alert = ev('alert', 'alert.triggered', '10:00', { alertName: 'OrdersDown' });
const retract = (id: string, target: string, clock: string) => ev(id, 'event.retracted', clock, { eventId: target, reason: 'wrong' });
const mitigated = (id: string, clock: string) => ev(id, 'status.changed', clock, { status: 'mitigated' });
const mitigation = (state: ReturnType<typeof project>) => state.milestones.find((milestone) => milestone.name === 'Mitigation applied');

describe('milestoneSourceOf: the first occurrence an event records', () => {
  it.each([
    ['alert.triggered', 'alert.triggered', { alertName: 'A' }],
    ['page.sent', 'page.sent', {}],
    ['page.acknowledged', 'page.acknowledged', {}],
    ['root_cause.identified', 'root_cause.identified', { summary: 's', category: 'config' }],
    ['mitigation.applied', 'mitigation.applied', { action: 'rolled back' }],
    ['status.changed', 'status:monitoring', { status: 'monitoring' }],
    ['note.added', null, { text: 'n' }],
  ])('%s records %p', (type, source, data) => {
    expect(milestoneSourceOf(ev('e', type, '10:00', data))).toBe(source);
  });
});

describe('a retracted milestone shows where it stood (correctedFrom)', () => {
  it('only when the retracted event was the first of its milestone', () => {
    const later = project('inc', [alert, mitigated('m1', '10:30'), mitigated('m2', '10:40'), retract('r', 'm2', '11:00')]);
    expect(mitigation(later)).toEqual({ name: 'Mitigation applied', at: '2025-04-05T10:30:00.000Z', eventId: 'm1' });
    const first = project('inc', [alert, mitigated('m1', '10:30'), mitigated('m2', '10:40'), retract('r', 'm1', '11:00')]);
    expect(mitigation(first)).toEqual({ name: 'Mitigation applied', at: '2025-04-05T10:40:00.000Z', eventId: 'm2', correctedFrom: { at: '2025-04-05T10:30:00.000Z', eventId: 'm1' } });
  });

  it('at the same minute, by event id: the retracted one sorted first, so it was the first', () => {
    const state = project('inc', [alert, mitigated('m-a', '10:30'), mitigated('m-b', '10:30'), retract('r', 'm-a', '11:00')]);
    expect(mitigation(state)).toEqual({ name: 'Mitigation applied', at: '2025-04-05T10:30:00.000Z', eventId: 'm-b', correctedFrom: { at: '2025-04-05T10:30:00.000Z', eventId: 'm-a' } });
    const second = project('inc', [alert, mitigated('m-a', '10:30'), mitigated('m-b', '10:30'), retract('r', 'm-b', '11:00')]);
    expect(mitigation(second)).toEqual({ name: 'Mitigation applied', at: '2025-04-05T10:30:00.000Z', eventId: 'm-a' });
  });

  it('never for a retracted event that records no milestone, nor for a target the incident does not hold', () => {
    const state = project('inc', [alert, mitigated('m1', '10:30'), ev('n', 'note.added', '10:10', { text: 'n' }), retract('r1', 'n', '11:00'), retract('r2', 'elsewhere', '11:05')]);
    expect(state.retractions.map((retraction) => [retraction.retractedEventId, retraction.retractedSource, retraction.retractedAt])).toEqual([
      ['n', null, '2025-04-05T10:10:00.000Z'],
      ['elsewhere', null, null],
    ]);
    expect(state.milestones.every((milestone) => milestone.correctedFrom === undefined)).toBe(true);
  });
});

describe('incident.merged in the state', () => {
  it('records which key was merged into which, by whom, when', () => {
    const state = project('inc', [alert, ev('m', 'incident.merged', '10:30', { into: 'INC-9' }, { incidentKey: 'INC-1', actor: 'alice' })]);
    expect(state.merges).toEqual([{ from: 'INC-1', into: 'INC-9', actor: 'alice', at: '2025-04-05T10:30:00.000Z', eventId: 'm' }]);
  });

  it('says null where the merge names no key or no person', () => {
    const state = project('inc', [alert, ev('m', 'incident.merged', '10:30', { into: 'INC-9' })]);
    expect(state.merges).toEqual([{ from: null, into: 'INC-9', actor: null, at: '2025-04-05T10:30:00.000Z', eventId: 'm' }]);
  });
});
