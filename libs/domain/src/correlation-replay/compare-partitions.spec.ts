import fc from 'fast-check';
import { generatedLog, generatedSettings } from '../../test/generated-logs.js';
import { opened, placements, storm, stormGroups } from '../../test/storm.js';
import { correlateLog, parseEvent, type IncidentEvent } from '../index.js';
import { comparePartitions } from './compare-partitions.js';

const [db, api, checkout, cart, search, billing, indexer] = ['storm-db-down', 'storm-api-errors', 'storm-checkout-failures', 'storm-cart-errors', 'storm-search-timeouts', 'storm-billing-slow', 'storm-indexer-lag'].map(opened) as [string, string, string, string, string, string, string];

describe('comparePartitions: a stored partition against the log correlated again', () => {
  it('the storm stored without service groups, replayed with them: five incidents merged into the database\'s, four moves', () => {
    const comparison = comparePartitions(placements(storm()), { serviceGroups: stormGroups() });
    const { compareStarts, ...rest } = comparison;
    expect(rest).toEqual({
      events: 16,
      stored: { incidents: 7, unattached: 0 },
      replayed: { incidents: 3, unattached: 0 },
      unchanged: new Set([billing, indexer]),
      changed: [{ id: db, eventIds: ['storm-db-down', 'storm-api-errors', 'storm-checkout-failures', 'storm-cart-errors', 'storm-search-timeouts', 'storm-db-page', 'storm-db-ack', 'storm-db-up', 'storm-api-ok', 'storm-checkout-ok', 'storm-cart-ok', 'storm-search-ok'] }],
      changedStored: [{ id: db, events: 4 }, { id: api, events: 2 }, { id: checkout, events: 2 }, { id: cart, events: 2 }, { id: search, events: 2 }],
      merged: [{ into: db, from: [db, api, checkout, cart, search], events: 12 }],
      split: [],
      moved: [
        { from: api, to: db, eventIds: ['storm-api-errors', 'storm-api-ok'] },
        { from: checkout, to: db, eventIds: ['storm-checkout-failures', 'storm-checkout-ok'] },
        { from: cart, to: db, eventIds: ['storm-cart-errors', 'storm-cart-ok'] },
        { from: search, to: db, eventIds: ['storm-search-timeouts', 'storm-search-ok'] },
      ],
    });
  });

  it('stored with service groups, replayed without: the outage incident splits into five', () => {
    const comparison = comparePartitions(placements(storm(), { serviceGroups: stormGroups() }));
    expect(comparison.split).toEqual([{ from: db, into: [db, api, checkout, cart, search], events: 12 }]);
    expect([comparison.merged, comparison.moved.map((move) => [move.from, move.to, move.eventIds.length])]).toEqual([
      [],
      [[db, api, 2], [db, checkout, 2], [db, cart, 2], [db, search, 2]],
    ]);
    expect(comparison.changed.map((incident) => incident.id)).toEqual([db, api, checkout, cart, search]);
  });

  it('events that no incident takes any more, or that one takes now, move from or to unattached (null)', () => {
    const event = (id: string, type: string, time: string, data: Record<string, unknown>) => {
      const parsed = parseEvent({ id, type, occurredAt: `2025-04-05T${time}:00Z`, source: 'test', service: 'api', data });
      if (!parsed.ok) throw new Error('invalid');
      return parsed.event;
    };
    const log = [event('deploy', 'note.added', '09:40', { text: 'deploy' }), event('alert', 'alert.triggered', '10:00', { alertName: 'Down' })];
    const narrow = comparePartitions(placements(log), { marginMinutes: 10 });
    expect([narrow.moved, narrow.replayed, narrow.merged, narrow.split]).toEqual([[{ from: opened('alert'), to: null, eventIds: ['deploy'] }], { incidents: 1, unattached: 1 }, [], []]);
    const wide = comparePartitions(placements(log, { marginMinutes: 10 }));
    expect([wide.moved, wide.stored, wide.changed]).toEqual([[{ from: null, to: opened('alert'), eventIds: ['deploy'] }], { incidents: 1, unattached: 1 }, [{ id: opened('alert'), eventIds: ['deploy', 'alert'] }]]);
  });

  it('under the settings the log was stored with nothing changes', () => {
    fc.assert(
      fc.property(generatedLog, generatedSettings, (log, settings) => {
        const comparison = comparePartitions(placements(log, settings), settings);
        expect([comparison.changed, comparison.changedStored, comparison.merged, comparison.split, comparison.moved]).toEqual([[], [], [], [], []]);
        expect(comparison.unchanged.size).toBe(comparison.stored.incidents);
      }),
      { numRuns: 200 },
    );
  });

  it('the stored partition with the moves applied is the replayed one; merges and splits are its many-to-one and one-to-many', () => {
    fc.assert(
      fc.property(generatedLog, generatedSettings, generatedSettings, (log, before, after) => {
        const stored = placements(log, before);
        const comparison = comparePartitions(stored, after);
        const where = new Map(stored.map(({ event, incidentId }) => [event.id, incidentId]));
        for (const move of comparison.moved) for (const id of move.eventIds) {
          expect(where.get(id)).toBe(move.from);
          where.set(id, move.to);
        }
        const replayed = correlateLog(log, after);
        const expected = new Map<string, string | null>(replayed.unattached.map((event): [string, string | null] => [event.id, null]));
        for (const incident of replayed.incidents) for (const event of incident.events) expected.set(event.id, incident.id);
        expect(new Map([...where].sort())).toEqual(new Map([...expected].sort()));

        const sources = (incident: { events: IncidentEvent[] }) => new Set(incident.events.map((event) => stored.find((p) => p.event.id === event.id)!.incidentId).filter((id) => id !== null));
        expect(comparison.merged.map((merge) => merge.into)).toEqual(replayed.incidents.filter((incident) => sources(incident).size >= 2).map((incident) => incident.id));
        const targets = (id: string) => new Set(stored.filter((p) => p.incidentId === id).map((p) => expected.get(p.event.id)).filter((to) => to !== null));
        const storedIds = [...new Set(stored.flatMap((p) => (p.incidentId === null ? [] : [p.incidentId])))];
        expect(comparison.split.map((split) => [split.from, new Set(split.into)]).sort()).toEqual(storedIds.filter((id) => targets(id).size >= 2).map((id) => [id, targets(id)]).sort());
        expect(comparison.unchanged.size + comparison.changed.length).toBe(replayed.incidents.length);
      }),
      { numRuns: 200 },
    );
  });
});
