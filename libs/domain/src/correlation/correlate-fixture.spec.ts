import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import {
  correlate,
  correlateLog,
  incidentIdFor,
  emptyCorrelationIndex,
  parseEventLog,
  reattach,
  type CorrelationIndex,
  type IncidentEvent,
} from '../index.js';

const fixture = parseEventLog(
  readFileSync(new URL('../../../../test/fixtures/order-service-cache-bug.ndjson', import.meta.url), 'utf8'),
).events;
const options = { marginMinutes: 30, newIncidentId: (event: IncidentEvent) => `inc-${event.id}` };

/** The timeline service's loop: correlate each arrival, then re-offer what is still unattached. */
function arriveOneByOne(arrival: readonly IncidentEvent[]) {
  let index: CorrelationIndex = emptyCorrelationIndex();
  let pending: IncidentEvent[] = [];
  const members = new Map<string, Set<string>>();
  const join = (incidentId: string, event: IncidentEvent) => members.set(incidentId, (members.get(incidentId) ?? new Set()).add(event.id));
  for (const event of arrival) {
    const result = correlate(index, event, options);
    index = result.index;
    if (result.decision.kind === 'unattached') pending.push(event);
    else join(result.decision.incidentId, event);
    const late = reattach(index, pending, options);
    late.attached.forEach(({ event: attached, incidentId }) => join(incidentId, attached));
    index = late.index;
    pending = late.unattached;
  }
  return { members, pending };
}

describe('correlation of the reference log', () => {
  it('gives exactly one incident holding all 35 events', () => {
    const log = correlateLog(fixture);
    expect(log.incidents).toHaveLength(1);
    expect(log.incidents[0]?.id).toBe(incidentIdFor({ id: 'am-7f3c1a9e-firing' }));
    expect(log.incidents[0]?.events).toHaveLength(35);
    expect(log.unattached).toEqual([]);
  });

  it('gives the same single incident from the reversed log', () => {
    const log = correlateLog([...fixture].reverse());
    expect(log.incidents.map((incident) => incident.events.length)).toEqual([35]);
  });

  it('gives one incident with all events for any arrival order, one event at a time', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(fixture, { minLength: fixture.length, maxLength: fixture.length }), (arrival) => {
        const { members, pending } = arriveOneByOne(arrival);
        expect(pending).toEqual([]);
        expect([...members.values()].map((ids) => ids.size)).toEqual([35]);
      }),
      { numRuns: 200 },
    );
  });
});
