import fc from 'fast-check';
import { evolve, evolveAll, initialIncidentState, orderEvents, parseEvent, project, type IncidentEvent } from '../index.js';

const BASE_MS = Date.UTC(2025, 3, 5, 15, 0);

/** Renders an instant with a given UTC offset, so generated logs mix `Z` and `+hh:mm` forms. */
function isoWithOffset(ms: number, offsetMinutes: number): string {
  if (offsetMinutes === 0) return new Date(ms).toISOString().replace('.000Z', 'Z');
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

const severity = fc.constantFrom('P1', 'P2', 'P3', 'P4', 'P5');
const text = fc.constantFrom('a', 'b', 'c', 'Ünïcode 🚒');

const payloads: fc.Arbitrary<{ type: string; data: Record<string, unknown> }> = fc.oneof(
  fc.record({ type: fc.constant('alert.triggered'), data: fc.record({ alertName: text }) }),
  fc.record({ type: fc.constant('alert.resolved'), data: fc.record({ alertName: text }) }),
  fc.record({ type: fc.constantFrom('page.sent', 'page.acknowledged', 'page.escalated'), data: fc.constant({}) }),
  fc.record({ type: fc.constant('incident.declared'), data: fc.record({ title: text, severity, team: text }, { requiredKeys: [] }) }),
  fc.record({ type: fc.constant('severity.changed'), data: fc.record({ severity }) }),
  fc.record({
    type: fc.constant('status.changed'),
    data: fc.record({ status: fc.constantFrom('investigating', 'identified', 'mitigated', 'monitoring', 'resolved') }),
  }),
  fc.record({
    type: fc.constant('root_cause.identified'),
    data: fc.record({ summary: text, category: text, contributingFactors: fc.array(text, { maxLength: 3 }) }),
  }),
  fc.record({ type: fc.constant('mitigation.applied'), data: fc.record({ action: text }) }),
  fc.record({ type: fc.constant('service.impacted'), data: fc.record({ service: fc.constantFrom('auth', 'db', 'web') }) }),
  fc.record({
    type: fc.constant('impact.measured'),
    data: fc.record({ metric: fc.constantFrom('error_rate', 'latency_p99'), unit: fc.constant('%'), peak: fc.nat(100) }),
  }),
  fc.record({
    type: fc.constant('customer_impact.reported'),
    data: fc.record({ usersAffected: fc.nat(), supportTickets: fc.nat(), revenueUsd: fc.nat() }, { requiredKeys: [] }),
  }),
  fc.record({ type: fc.constant('resolution.step'), data: fc.record({ description: text }) }),
  fc.record({ type: fc.constant('lesson.recorded'), data: fc.record({ kind: fc.constantFrom('went_well', 'to_improve'), text }) }),
  fc.record({
    type: fc.constant('action_item.added'),
    data: fc.record({ priority: fc.constantFrom('P1', 'P4'), action: text, owner: text, dueDate: fc.constant('2025-05-01') }),
  }),
  fc.record({ type: fc.constant('note.added'), data: fc.record({ text }) }),
);

/** A valid event; few distinct minutes so that ties (broken by id) are frequent. */
const eventArbitrary = fc
  .record({
    payload: payloads,
    minute: fc.nat(12).map((n) => n * 15),
    offset: fc.constantFrom(0, 120, -300),
    service: fc.constantFrom('orders', 'auth'),
    key: fc.option(fc.constantFrom('K1', 'pd:2'), { nil: undefined }),
  })
  .map(({ payload, minute, offset, service, key }) => ({
    ...payload,
    occurredAt: isoWithOffset(BASE_MS + minute * 60_000, offset),
    source: 'test',
    service,
    ...(key ? { incidentKey: key } : {}),
  }));

const incidentArbitrary = fc
  .uniqueArray(fc.tuple(fc.string({ minLength: 1, maxLength: 4 }), eventArbitrary), { selector: ([id]) => id, maxLength: 30 })
  .map((pairs) =>
    pairs.map(([id, raw]) => {
      const result = parseEvent({ id, ...raw });
      if (!result.ok) throw new Error(`generator produced an invalid event: ${JSON.stringify(result.issues)}`);
      return result.event;
    }),
  );

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
