import fc from 'fast-check';
import {
  buildRcaView,
  parseEvent,
  project,
  type IncidentEvent,
  type IncidentState,
} from '../index.js';

function ev(id: string, type: string, clock: string, data: object = {}, fields: object = {}): IncidentEvent {
  const result = parseEvent({ id, type, occurredAt: `2025-04-05T${clock}:00Z`, source: 'api', service: 'orders', data, ...fields });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.event;
}

const alert = ev('alert', 'alert.triggered', '10:20', { alertName: 'OrdersDown' });
const ack = ev('ack', 'page.acknowledged', '10:25');
const wrongMitigation = ev('mitigated-wrong', 'status.changed', '10:50', { status: 'mitigated' });
const rightMitigation = ev('mitigated-right', 'status.changed', '11:05', { status: 'mitigated' });
const resolved = ev('resolved', 'status.changed', '11:30', { status: 'resolved' });
const retraction = ev('retract-1', 'event.retracted', '12:00', { eventId: 'mitigated-wrong', reason: 'the hotfix had not rolled out yet' }, { actor: 'alice' });

describe('impact.started: time to detect', () => {
  it('is detection (the first alert) minus the stated impact start', () => {
    const state = project('inc', [alert, ev('impact', 'impact.started', '10:02')]);
    expect(state.times.impactStartedAt).toEqual({ at: '2025-04-05T10:02:00.000Z', eventId: 'impact' });
    expect(state.durations.timeToDetectMinutes).toBe(18);
  });

  it('counts from the first event when there is no alert', () => {
    expect(project('inc', [ev('decl', 'incident.declared', '10:30'), ev('impact', 'impact.started', '10:00')]).durations.timeToDetectMinutes).toBe(30);
  });

  it('takes the latest-stated impact start', () => {
    const state = project('inc', [alert, ev('i1', 'impact.started', '09:50'), ev('i2', 'impact.started', '10:10')]);
    expect(state.durations.timeToDetectMinutes).toBe(10);
  });

  it('is not recorded (null, never 0) without an impact start, and the RCA says so', () => {
    const state = project('inc', [alert, ack]);
    expect(state.durations.timeToDetectMinutes).toBeNull();
    const view = buildRcaView(state, { preparedOn: '2025-04-06' });
    expect(view.keyMetrics[0]).toEqual({ text: 'Time to detect: _not recorded_', recorded: false });
  });
});

describe('event.retracted', () => {
  const log = [alert, ack, wrongMitigation, rightMitigation, resolved, retraction];
  // Projected in each test (beforeEach runs inside it): the mutation run attributes code to tests only so.
  let state: IncidentState;
  beforeEach(() => {
    state = project('inc', log);
  });

  it('drops the retracted event out of every figure and milestone, and shows the corrected one at its time', () => {
    expect(state.times.mitigatedAt).toEqual({ at: '2025-04-05T11:05:00.000Z', eventId: 'mitigated-right' });
    expect(state.durations.timeToMitigateMinutes).toBe(45);
    expect(state.milestones.find((m) => m.name === 'Mitigation applied')).toEqual({
      name: 'Mitigation applied',
      at: '2025-04-05T11:05:00.000Z',
      eventId: 'mitigated-right',
      correctedFrom: { at: '2025-04-05T10:50:00.000Z', eventId: 'mitigated-wrong' },
    });
    expect(state.eventCounts['status.changed']).toBe(2);
    expect(state.eventCount).toBe(log.length - 1);
  });

  it('lists the retraction with actor, time and reason, and the RCA appendix says the milestone was corrected', () => {
    expect(state.retractions).toEqual([
      {
        retractedEventId: 'mitigated-wrong',
        retractedType: 'status.changed',
        retractedAt: '2025-04-05T10:50:00.000Z',
        retractedSource: 'status:mitigated',
        actor: 'alice',
        reason: 'the hotfix had not rolled out yet',
        at: '2025-04-05T12:00:00.000Z',
        eventId: 'retract-1',
      },
    ]);
    const view = buildRcaView(state, { preparedOn: '2025-04-06' });
    expect(view.timeline.find((row) => row.event === 'Mitigation applied')).toEqual({ time: '11:05', event: 'Mitigation applied', eventId: 'mitigated-right' });
    expect(view.appendix).toContainEqual({ figure: 'Mitigation applied', value: '11:05 (corrected from 10:50)', eventIds: 'mitigated-right' });
    expect(view.retractions).toEqual([
      { eventId: 'mitigated-wrong', eventType: 'status.changed', eventTime: '10:50', actor: 'alice', time: '12:00', reason: 'the hotfix had not rolled out yet', retractionId: 'retract-1' },
    ]);
  });

  it('gives the same state when the retraction precedes its target in event time', () => {
    const early = ev('retract-early', 'event.retracted', '09:00', { eventId: 'ack', reason: 'wrong incident' });
    const withEarly = project('inc', [alert, ack, early]);
    expect(withEarly.times.acknowledgedAt).toBeNull();
    expect(withEarly.retractions[0]).toMatchObject({ retractedEventId: 'ack', retractedType: 'page.acknowledged' });
  });

  it('keeps waiting for a target it does not hold yet, then applies', () => {
    const pending = project('inc', [alert, retraction]);
    expect(pending.retractions[0]).toMatchObject({ retractedEventId: 'mitigated-wrong', retractedType: null, retractedAt: null });
    expect(project('inc', [alert, retraction, wrongMitigation]).times.mitigatedAt).toBeNull();
  });

  it('cannot itself be retracted', () => {
    const undo = ev('undo', 'event.retracted', '12:30', { eventId: 'retract-1', reason: 'oops' });
    const state2 = project('inc', [...log, undo]);
    expect(state2.times.mitigatedAt?.eventId).toBe('mitigated-right');
    expect(state2.retractions.map((r) => r.eventId)).toEqual(['retract-1']);
  });

});

describe('corrections (property): the state is a function of the set', () => {
  const clocks = ['09:00', '10:00', '10:20', '10:40', '11:00', '11:30', '12:00'];
  const ordinary = fc.oneof(
    fc.constant({ type: 'alert.triggered', data: { alertName: 'A' } }),
    fc.constant({ type: 'page.acknowledged', data: {} }),
    fc.constant({ type: 'impact.started', data: {} }),
    fc.constantFrom('investigating', 'mitigated', 'resolved').map((status) => ({ type: 'status.changed', data: { status } })),
    fc.constant({ type: 'note.added', data: { text: 'n' } }),
    fc.constant({ type: 'incident.merged', data: { into: 'INC-1' } }),
  );
  const logArbitrary = fc
    .tuple(
      fc.array(fc.tuple(ordinary, fc.constantFrom(...clocks)), { minLength: 1, maxLength: 12 }),
      fc.array(fc.tuple(fc.nat(), fc.constantFrom(...clocks)), { maxLength: 5 }),
    )
    .map(([plain, retractions]) => {
      const events = plain.map(([payload, clock], i) => ev(`e${i}`, payload.type, clock, payload.data));
      // Targets among all events, retractions included (which must then count for nothing).
      const all = [...events];
      retractions.forEach(([target, clock], i) => {
        all.push(ev(`r${i}`, 'event.retracted', clock, { eventId: all[target % all.length]!.id, reason: 'wrong' }, { actor: 'p' }));
      });
      return all;
    });


  it('any arrival order gives the same state, retractions before their targets included', () => {
    fc.assert(
      fc.property(
        logArbitrary.chain((events) => fc.tuple(fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }))),
        ([events, arrival]) => {
          const expected = project('inc', events);
          expect(project('inc', arrival)).toEqual(expected);
          const retracted = new Set(expected.retractions.map((r) => r.retractedEventId));
          expect(expected.milestones.every((m) => !retracted.has(m.eventId))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
