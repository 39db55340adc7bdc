import fc from 'fast-check';
import { envelopeOf, occurredAt, payloads, validEvent, type Payload } from '../../../../test/support/event-arbitraries.js';
import { compareEvents, foldOntoStored, project, type IncidentEvent, type IncidentState } from '../index.js';

/*
 * The timeline's late-event path (apps/timeline/src/consumer/batch-processor.ts, projectIncidents): each batch's
 * events are stored, then foldOntoStored folds them onto the stored states or names the incidents to re-project
 * from their stored logs. Whatever the batches and their order, every stored state must be `project` of the
 * incident's stored events.
 */

const INCIDENTS = ['INC-A', 'INC-B'];

const withCorrections: fc.Arbitrary<Payload> = fc.oneof(
  { weight: 6, arbitrary: payloads },
  { weight: 1, arbitrary: fc.constant({ type: 'impact.started', data: {} }) },
  { weight: 1, arbitrary: fc.constant({ type: 'incident.merged', data: { into: 'INC-A' } }) },
);

/** An event and the incident correlation placed it in. */
interface Placed {
  incidentId: string;
  event: IncidentEvent;
}

/**
 * Events of two incidents, as decoded from Kafka (JSON), and retractions of them, of each other, or of an event
 * never sent; a retraction goes where its target is, as correlation places it, and may come before its target.
 */
const logArbitrary: fc.Arbitrary<Placed[]> = fc
  .tuple(
    fc.uniqueArray(fc.tuple(fc.string({ minLength: 1, maxLength: 3 }), envelopeOf(withCorrections), fc.constantFrom(...INCIDENTS)), {
      selector: ([id]) => id,
      minLength: 4,
      maxLength: 30,
    }),
    fc.array(fc.tuple(fc.nat(), occurredAt), { maxLength: 3 }),
  )
  .map(([plain, retractions]) => {
    const log = plain.map(([id, envelope, incidentId]) => ({ incidentId, event: validEvent({ id: `e-${id}`, ...envelope }) }));
    retractions.forEach(([pick, at], i) => {
      const target = log[pick % (log.length + 1)];
      const data = { eventId: target?.event.id ?? 'never-sent', reason: 'wrong' };
      const event = validEvent({ id: `r-${i}`, type: 'event.retracted', occurredAt: at, source: 'test', service: 'orders', actor: 'p', data });
      log.push({ incidentId: target?.incidentId ?? INCIDENTS[pick % INCIDENTS.length]!, event });
    });
    return log.map(({ incidentId, event }) => ({ incidentId, event: JSON.parse(JSON.stringify(event)) as IncidentEvent }));
  });

/**
 * A random arrival order: any shuffle, or event order with some events held back a random number of places
 * (late events, late openers among them), as a producer that lags or re-delivers gives it.
 */
const arrivalArbitrary = (log: readonly Placed[]): fc.Arbitrary<Placed[]> =>
  fc.oneof(
    fc.shuffledSubarray([...log], { minLength: log.length, maxLength: log.length }),
    fc.array(fc.oneof({ weight: 7, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(log.length) }), { minLength: log.length, maxLength: log.length }).map((delays) => {
      const inOrder = [...log].sort((a, b) => compareEvents(a.event, b.event));
      const due = (i: number) => i + delays[i]!;
      return inOrder.map((placed, i) => ({ placed, i })).sort((a, b) => due(a.i) - due(b.i) || a.i - b.i).map(({ placed }) => placed);
    }),
  );

/** The log arriving in batches of random sizes. */
const batchesArbitrary = logArbitrary.chain((log) =>
  fc.tuple(arrivalArbitrary(log), fc.array(fc.integer({ min: 1, max: 4 }), { minLength: log.length })).map(([arrival, sizes]) => {
    const batches: Placed[][] = [];
    for (let at = 0, i = 0; at < arrival.length; at += sizes[i++]!) batches.push(arrival.slice(at, at + sizes[i]!));
    return { log, batches };
  }),
);

/** What the incidents table gives back: the state as jsonb stored it. */
const stored = (state: IncidentState): IncidentState => JSON.parse(JSON.stringify(state)) as IncidentState;

const byIncident = (placed: readonly Placed[]) => {
  const map = new Map<string, IncidentEvent[]>();
  for (const { incidentId, event } of placed) map.set(incidentId, [...(map.get(incidentId) ?? []), event]);
  return map;
};

describe('foldOntoStored (property): the timeline folding or re-projecting batch after batch', () => {
  it('leaves every incident equal to project(all its events), after every batch, for any split and order', () => {
    // Both paths must be taken often enough for the property to say something about each.
    const taken = { folded: 0, reprojected: 0 };
    fc.assert(
      fc.property(batchesArbitrary, ({ log, batches }) => {
        const states = new Map<string, IncidentState>();
        const logs = new Map<string, IncidentEvent[]>();
        for (const batch of batches) {
          const added = byIncident(batch);
          // The batch's events are inserted before the projection step, so a re-projection reads them too.
          for (const [id, events] of added) logs.set(id, [...(logs.get(id) ?? []), ...events]);
          const { states: folded, reproject } = foldOntoStored(states, added);
          taken.folded += folded.filter((state) => states.has(state.id)).length;
          taken.reprojected += reproject.length;
          for (const state of [...folded, ...reproject.map((id) => project(id, logs.get(id)!))]) states.set(state.id, stored(state));
          for (const id of added.keys()) expect(states.get(id)).toEqual(project(id, logs.get(id)!));
        }
        for (const [id, events] of byIncident(log)) expect(states.get(id)).toEqual(project(id, events));
      }),
      { numRuns: 500 },
    );
    console.log(`foldOntoStored property: ${taken.folded} folds onto a stored state, ${taken.reprojected} re-projections`);
    expect(taken.folded).toBeGreaterThan(500);
    expect(taken.reprojected).toBeGreaterThan(500);
  });
});
