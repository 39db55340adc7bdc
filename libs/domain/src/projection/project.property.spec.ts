import fc from 'fast-check';
import { envelopeOf, payloads, validEvent } from '../../../../test/support/event-arbitraries.js';
import { evolve, evolveAll, initialIncidentState, orderEvents, project, type IncidentEvent } from '../index.js';

const incidentArbitrary = fc
  .uniqueArray(fc.tuple(fc.string({ minLength: 1, maxLength: 4 }), envelopeOf(payloads)), { selector: ([id]) => id, maxLength: 30 })
  .map((pairs) => pairs.map(([id, raw]) => validEvent({ id, ...raw })));

/** The events in a random arrival order, some of them re-sent. */
const arrivalArbitrary = incidentArbitrary.chain((events) =>
  fc
    .tuple(fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }), fc.subarray(events))
    .chain(([shuffled, resent]) => fc.shuffledSubarray([...shuffled, ...resent], { minLength: shuffled.length + resent.length }))
    .map((arrival) => ({ events, arrival })),
);

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

describe('project (property)', () => {
  it('gives a deep-equal state for any arrival order with any duplicates', () => {
    fc.assert(
      fc.property(arrivalArbitrary, ({ events, arrival }) => {
        expect(project('inc', arrival)).toEqual(project('inc', events));
      }),
      { numRuns: 300 },
    );
  });

  it('folds a run of events with evolveAll exactly as with evolve one by one, from any split point', () => {
    fc.assert(
      fc.property(incidentArbitrary, fc.nat(), (events, cut) => {
        const ordered = orderEvents(events);
        const split = ordered.length === 0 ? 0 : cut % (ordered.length + 1);
        const stepByStep = ordered.reduce(evolve, initialIncidentState('inc'));
        const prefix = ordered.slice(0, split).reduce(evolve, initialIncidentState('inc'));
        expect(evolveAll(prefix, ordered.slice(split))).toEqual(stepByStep);
      }),
      { numRuns: 300 },
    );
  });

  it('never mutates the state or the event it folds', () => {
    fc.assert(
      fc.property(incidentArbitrary, (events) => {
        events.reduce<ReturnType<typeof initialIncidentState>>((state, event) => evolve(deepFreeze(state), deepFreeze(event)), initialIncidentState('inc'));
      }),
    );
  });

  it('keeps the figures within what the events say', () => {
    fc.assert(
      fc.property(incidentArbitrary, (events: IncidentEvent[]) => {
        const state = project('inc', events);
        const ids = new Set(events.map((event) => event.id));
        expect(state.eventCount).toBe(events.length);
        expect(state.milestones.every((m) => ids.has(m.eventId))).toBe(true);
        const times = state.milestones.map((m) => Date.parse(m.at));
        expect(times).toEqual([...times].sort((a, b) => a - b));
        expect(state.open).toBe(state.status !== 'resolved');
        expect(state.durations.durationMinutes === null).toBe(state.times.resolvedAt === null);
        expect(state.services[0] ?? null).toBe(state.primaryService);
      }),
    );
  });
});
