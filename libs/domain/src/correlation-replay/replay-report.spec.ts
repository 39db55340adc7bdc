import { opened, reportOf, storm, stormGroups } from '../../test/storm.js';
import { parseEvent } from '../index.js';

const [db, api, checkout, cart, search] = ['storm-db-down', 'storm-api-errors', 'storm-checkout-failures', 'storm-cart-errors', 'storm-search-timeouts'].map(opened) as [string, string, string, string, string];
const alone = (service: string, events: number, timeToResolve: number) => ({ service, events, timeToDetect: null, timeToAcknowledge: null, timeToMitigate: null, timeToResolve });
const none = (notRecorded: number) => ({ p50: null, p90: null, recorded: 0, notRecorded });

describe('replayReport: what a replay changes, figures included', () => {
  it('the storm with service groups: the outage incident takes the dependants\' events and resolves when the last of them does', () => {
    const report = reportOf(storm(), {}, { serviceGroups: stormGroups() });
    expect(report.settings).toEqual({ marginMinutes: 30, idleMinutes: 240, groupLabels: [], serviceGroups: { 'orders-db': ['postgres-orders', 'orders-api', 'checkout', 'cart', 'search'] } });
    expect([report.events, report.incidents, report.unattached, report.moved.events]).toEqual([16, { stored: 7, replayed: 3, unchanged: 2 }, { stored: 0, replayed: 0 }, 8]);
    expect(report.figures.incidents).toEqual([
      { id: db, stored: { service: 'postgres-orders', events: 4, timeToDetect: null, timeToAcknowledge: 6, timeToMitigate: null, timeToResolve: 25 }, replayed: { service: 'postgres-orders', events: 12, timeToDetect: null, timeToAcknowledge: 6, timeToMitigate: null, timeToResolve: 31 } },
      { id: api, stored: alone('orders-api', 2, 26), replayed: null },
      { id: checkout, stored: alone('checkout', 2, 26), replayed: null },
      { id: cart, stored: alone('cart', 2, 26), replayed: null },
      { id: search, stored: alone('search', 2, 28), replayed: null },
    ]);
    // Time to resolve, stored 19 25 26 26 26 28 43, replayed 19 31 43: nearest rank.
    expect(report.figures.overall).toEqual({
      timeToDetect: { stored: none(7), replayed: none(3) },
      timeToAcknowledge: { stored: { p50: 6, p90: 6, recorded: 1, notRecorded: 6 }, replayed: { p50: 6, p90: 6, recorded: 1, notRecorded: 2 } },
      timeToMitigate: { stored: none(7), replayed: none(3) },
      timeToResolve: { stored: { p50: 26, p90: 43, recorded: 7, notRecorded: 0 }, replayed: { p50: 31, p90: 43, recorded: 3, notRecorded: 0 } },
    });
  });

  it('an incident that loses an event is listed with its events even when its four figures stay; one that keeps them is not', () => {
    const event = (id: string, type: string, time: string, service: string, data: Record<string, unknown>) => {
      const parsed = parseEvent({ id, type, occurredAt: `2025-04-05T${time}:00Z`, source: 'test', service, data });
      if (!parsed.ok) throw new Error('invalid');
      return parsed.event;
    };
    const log = [
      event('deploy', 'note.added', '09:40', 'api', { text: 'deploy' }),
      event('alert', 'alert.triggered', '10:00', 'api', { alertName: 'Down' }),
      event('other', 'alert.triggered', '10:00', 'web', { alertName: 'Slow' }),
    ];
    const report = reportOf(log, {}, { marginMinutes: 10 });
    const same = { timeToDetect: null, timeToAcknowledge: null, timeToMitigate: null, timeToResolve: null };
    expect(report.figures.incidents).toEqual([{ id: opened('alert'), stored: { service: 'api', events: 2, ...same }, replayed: { service: 'api', events: 1, ...same } }]);
    expect([report.incidents, report.unattached]).toEqual([{ stored: 2, replayed: 2, unchanged: 1 }, { stored: 0, replayed: 1 }]);
  });
});
