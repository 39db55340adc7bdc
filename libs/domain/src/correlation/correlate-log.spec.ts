import fc from 'fast-check';
import { correlateLog, incidentIdFor, parseEvent, parseServiceGroups, project, type IncidentEvent } from '../index.js';
import { arriveInBatches } from '../../test/arrive-in-batches.js';

function event(id: string, type: string, at: string, extra: Record<string, unknown> = {}): IncidentEvent {
  const data: Record<string, unknown> = type === 'alert.triggered' || type === 'alert.resolved' ? { alertName: 'A' } : type === 'note.added' ? { text: 'n' } : {};
  const occurredAt = at.length === 5 ? `2025-04-05T${at}:00Z` : at;
  const result = parseEvent({ id, type, occurredAt, source: 'test', service: 'orders', data, ...extra });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.event;
}
const partition = (events: IncidentEvent[], options = {}) => correlateLog(events, options).incidents.map((incident) => incident.events.map((e) => e.id));

describe('correlateLog: EVENTS.md rules in event-time order', () => {
  it('rule 1: a linked key or an incident id attaches, even outside the window and for another service', () => {
    const alert = event('a', 'alert.triggered', '10:00', { incidentKey: 'K' });
    const viaKey = event('k', 'note.added', '23:00', { incidentKey: 'K', service: 'billing' });
    const viaId = event('i', 'note.added', '23:30', { incidentKey: incidentIdFor(alert), service: 'billing' });
    const resolved = event('r', 'status.changed', '11:00', { data: { status: 'resolved' }, incidentKey: 'K' });
    expect(partition([alert, resolved, viaKey, viaId])).toEqual([['a', 'r', 'k', 'i']]);
  });

  it('rule 2: the window opens a margin before the first event; of several, the incident that started last', () => {
    expect(partition([event('a', 'alert.triggered', '10:00'), event('n', 'note.added', '09:30'), event('x', 'note.added', '09:29')])).toEqual([['x', 'n', 'a']]);
    const later = event('l', 'alert.triggered', '11:00');
    const earlier = event('e', 'alert.triggered', '09:00', { incidentKey: 'other' });
    const note = event('n', 'note.added', '11:30');
    // 09:00's open window covers 11:00, so 11:00 joins it; both notes too.
    expect(partition([later, earlier, note])).toEqual([['e', 'l', 'n']]);
  });

  it('rule 4: a key-less event before any window waits, then joins when an incident comes to cover it', () => {
    expect(correlateLog([event('n', 'note.added', '09:45')]).unattached.map((e) => e.id)).toEqual(['n']);
    expect(partition([event('n', 'note.added', '09:45'), event('a', 'alert.triggered', '10:00')])).toEqual([['n', 'a']]);
  });

  it('the issue\'s first try: 10:00 then 09:00 of one service are one incident, named after 09:00, in any order', () => {
    const ten = event('ten', 'alert.triggered', '10:00');
    const nine = event('nine', 'alert.triggered', '09:00');
    for (const order of [[ten, nine], [nine, ten]]) {
      expect(correlateLog(order).incidents.map((incident) => incident.id)).toEqual([incidentIdFor(nine)]);
      expect(arriveInBatches(order, 1)).toEqual([{ id: incidentIdFor(nine), events: ['nine', 'ten'] }]);
    }
  });

  it('the issue\'s second try: a disk alert resolved on 1 January and a latency alert on 8 January are two incidents', () => {
    const disk = event('disk', 'alert.triggered', '2026-01-01T10:00:00Z', { data: { alertName: 'DiskFull', fingerprint: 'f1' } });
    const diskOk = event('disk-ok', 'alert.resolved', '2026-01-01T10:20:00Z', { data: { alertName: 'DiskFull', fingerprint: 'f1' } });
    const latency = event('latency', 'alert.triggered', '2026-01-08T09:00:00Z', { data: { alertName: 'Latency' } });
    expect(partition([latency, diskOk, disk])).toEqual([['disk', 'disk-ok'], ['latency']]);
    const first = correlateLog([disk, diskOk, latency]).incidents[0]!;
    const state = project(first.id, first.events);
    expect([state.status, state.open, state.resolvedBy, state.times.resolvedAt?.at]).toEqual(['resolved', false, 'alerts', '2026-01-01T10:20:00.000Z']);
    expect(state.durations.durationMinutes).toBe(20);
  });

  it('alert-only incidents resolve when every alert has resolved; a person\'s status decides otherwise', () => {
    const a = event('a', 'alert.triggered', '10:00', { data: { alertName: 'A', fingerprint: 'fa' } });
    const b = event('b', 'alert.triggered', '10:05', { data: { alertName: 'B', fingerprint: 'fb' } });
    const aOk = event('a-ok', 'alert.resolved', '10:10', { data: { alertName: 'A', fingerprint: 'fa' } });
    const bOk = event('b-ok', 'alert.resolved', '10:15', { data: { alertName: 'B', fingerprint: 'fb' } });
    const after = event('c', 'alert.triggered', '10:20', { data: { alertName: 'C' } });
    expect(partition([a, b, aOk, after])).toEqual([['a', 'b', 'a-ok', 'c']]); // B still fires: one incident
    expect(partition([a, b, aOk, bOk, after])).toEqual([['a', 'b', 'a-ok', 'b-ok'], ['c']]);
    const investigating = event('s', 'status.changed', '10:12', { data: { status: 'investigating' } });
    expect(partition([a, b, aOk, bOk, investigating, after])).toEqual([['a', 'b', 'a-ok', 's', 'b-ok', 'c']]);
  });

  it('an unresolved window closes the idle time after its latest event', () => {
    const a = event('a', 'alert.triggered', '2025-04-05T00:00:00Z');
    const n = event('n', 'note.added', '2025-04-05T03:59:00Z');
    const b = event('b', 'alert.triggered', '2025-04-05T08:00:00Z');
    expect(partition([a, n, b])).toEqual([['a', 'n'], ['b']]);
    expect(partition([a, n, b], { idleMinutes: 300 })).toEqual([['a', 'n', 'b']]);
  });

  it('events of service unknown never join through a window; keys still attach them', () => {
    const a = event('a', 'alert.triggered', '10:00', { service: 'unknown', incidentKey: 'K' });
    const near = event('near', 'alert.triggered', '10:01', { service: 'unknown' });
    const keyed = event('keyed', 'note.added', '10:02', { service: 'unknown', incidentKey: 'K' });
    expect(partition([a, near, keyed])).toEqual([['a', 'keyed'], ['near']]);
  });

  it('CORRELATION_GROUP_LABELS: alerts with equal values of the named labels share a key, across services', () => {
    const labels = (cluster: string) => ({ alertName: 'X', labels: { cluster, alertname: 'X' } });
    const a = event('a', 'alert.triggered', '10:00', { service: 'api', data: labels('eu') });
    const b = event('b', 'alert.triggered', '10:01', { service: 'web', data: labels('eu') });
    const c = event('c', 'alert.triggered', '10:02', { service: 'db', data: labels('us') });
    expect(partition([a, b, c])).toHaveLength(3);
    const grouped = correlateLog([a, b, c], { groupLabels: ['cluster', 'alertname'] }).incidents;
    expect(grouped.map((incident) => [incident.events.map((e) => e.id), incident.keys])).toEqual([
      [['a', 'b'], ['labels:cluster=eu,alertname=X']],
      [['c'], ['labels:cluster=us,alertname=X']],
    ]);
  });

  it('CORRELATION_SERVICE_GROUPS: a database outage and its dependants share a window and list them as affected', () => {
    const storm = ['db', 'api', 'web', 'cart', 'search'].map((service, i) => event(service, 'alert.triggered', `10:0${i}`, { service }));
    expect(partition(storm)).toHaveLength(5);
    const serviceGroups = parseServiceGroups('orders-stack=db,api,web,cart,search');
    const [one, ...none] = correlateLog(storm, { serviceGroups }).incidents;
    expect(none).toEqual([]);
    expect(project(one!.id, one!.events).services).toEqual(['db', 'api', 'web', 'cart', 'search']);
  });

  it('parseServiceGroups names what is wrong', () => {
    expect(() => parseServiceGroups('nogroup')).toThrow('"nogroup" is not group=service,service');
    expect(() => parseServiceGroups('a=x;b=x')).toThrow('service "x" is in two groups');
    expect(parseServiceGroups(' a = x , y ; b=z ')).toEqual(new Map([['x', 'a'], ['y', 'a'], ['z', 'b']]));
  });
});

/** Small logs of few services, keys and statuses over a few hours: enough to make late events join and split incidents. */
const generatedLog = fc
  .array(
    fc.record({
      type: fc.constantFrom('alert.triggered', 'alert.triggered', 'alert.resolved', 'note.added', 'status.changed', 'page.sent'),
      minute: fc.integer({ min: 0, max: 600 }),
      service: fc.constantFrom('db', 'api', 'unknown'),
      key: fc.option(fc.constantFrom('K1', 'K2'), { freq: 4 }),
      alert: fc.constantFrom('A', 'B'),
      status: fc.constantFrom('investigating', 'resolved'),
    }),
    { minLength: 1, maxLength: 25 },
  )
  .map((specs) =>
    specs.map((spec, i) =>
      event(`e${i}`, spec.type, new Date(Date.UTC(2025, 3, 5) + spec.minute * 60_000).toISOString(), {
        service: spec.service,
        ...(spec.key ? { incidentKey: spec.key } : {}),
        data: spec.type.startsWith('alert.') ? { alertName: spec.alert } : spec.type === 'status.changed' ? { status: spec.status } : spec.type === 'note.added' ? { text: 'n' } : {},
      }),
    ),
  );

describe('the partition into incidents is a function of the set of events', () => {
  it('any arrival order, in any batches, through planCorrelation gives the incidents of correlateLog, ids included', () => {
    fc.assert(
      fc.property(
        generatedLog.chain((log) => fc.tuple(fc.constant(log), fc.shuffledSubarray(log, { minLength: log.length, maxLength: log.length }), fc.integer({ min: 1, max: 5 }))),
        ([log, arrival, size]) => {
          const expected = correlateLog(log, { idleMinutes: 120 }).incidents.map((incident) => ({ id: incident.id, events: incident.events.map((e) => e.id) }));
          expect(arriveInBatches(arrival, size, { idleMinutes: 120 })).toEqual(expected);
          expect(correlateLog(arrival, { idleMinutes: 120 }).incidents.map((incident) => incident.id)).toEqual(expected.map((incident) => incident.id));
        },
      ),
      { numRuns: 300 },
    );
  });
});
