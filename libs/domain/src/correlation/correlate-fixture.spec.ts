import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { correlateLog, incidentIdFor, parseEventLog } from '../index.js';
import { arriveInBatches } from '../../test/arrive-in-batches.js';

const fixture = parseEventLog(
  readFileSync(new URL('../../../../test/fixtures/order-service-cache-bug.ndjson', import.meta.url), 'utf8'),
).events;

describe('correlation of the reference log', () => {
  it('gives exactly one incident holding all 35 events, named after its first alert', () => {
    const log = correlateLog(fixture);
    expect(log.incidents).toHaveLength(1);
    expect(log.incidents[0]?.id).toBe(incidentIdFor({ id: 'am-7f3c1a9e-firing' }));
    expect(log.incidents[0]?.events).toHaveLength(35);
    expect(log.unattached).toEqual([]);
  });

  it('gives the same single incident from the reversed log', () => {
    const log = correlateLog([...fixture].reverse());
    expect(log.incidents.map((incident) => [incident.id, incident.events.length])).toEqual([[incidentIdFor({ id: 'am-7f3c1a9e-firing' }), 35]]);
  });

  it('gives the same incident, id included, for any arrival order and batching through planCorrelation', () => {
    const expected = correlateLog(fixture);
    fc.assert(
      fc.property(fc.shuffledSubarray(fixture, { minLength: fixture.length, maxLength: fixture.length }), fc.integer({ min: 1, max: 8 }), (arrival, size) => {
        expect(arriveInBatches(arrival, size)).toEqual(expected.incidents.map((incident) => ({ id: incident.id, events: incident.events.map((e) => e.id) })));
      }),
      { numRuns: 100 },
    );
  });
});
