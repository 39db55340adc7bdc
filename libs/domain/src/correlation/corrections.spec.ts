import fc from 'fast-check';
import { correlateLog, parseEvent, possibleDuplicates, project, type IncidentEvent } from '../index.js';

function ev(id: string, type: string, clock: string, fields: Record<string, unknown> = {}, data: object = {}): IncidentEvent {
  const defaults: Record<string, object> = { 'alert.triggered': { alertName: 'A' }, 'note.added': { text: 'n' } };
  const result = parseEvent({ id, type, occurredAt: `2025-04-05T${clock}:00Z`, source: 'test', service: 'orders', data: { ...defaults[type], ...data }, ...fields });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.event;
}

const shuffles = <T>(items: readonly T[]) => fc.shuffledSubarray([...items], { minLength: items.length, maxLength: items.length });

describe('rule 1 over every key', () => {
  it('attaches an event by any of its keys and links all its keys to that incident', () => {
    const alert = ev('a1', 'alert.triggered', '10:00', { incidentKey: 'INC-1' });
    const pd = ev('p1', 'page.sent', '13:00', { service: 'payments', correlationKeys: ['dedup:abc', 'INC-1'] });
    const later = ev('n1', 'note.added', '14:00', { service: 'billing', incidentKey: 'dedup:abc' });
    const log = correlateLog([later, pd, alert]);
    expect(log.incidents).toHaveLength(1);
    expect(log.incidents[0]!.events.map((e) => e.id)).toEqual(['a1', 'p1', 'n1']);
    expect(project(log.incidents[0]!.id, log.incidents[0]!.events).keys).toEqual(['INC-1', 'dedup:abc']);
  });

  it('joins the incident that started first when keys name different incidents; both list each other, none is merged', () => {
    const first = ev('a1', 'alert.triggered', '10:00', { incidentKey: 'K1' });
    const second = ev('a2', 'alert.triggered', '10:05', { service: 'billing', incidentKey: 'K2' });
    const both = ev('n1', 'note.added', '10:10', { service: 'search', incidentKey: 'K2', correlationKeys: ['K1'] });
    const log = correlateLog([first, second, both]);
    expect(log.incidents.map((i) => i.events.map((e) => e.id))).toEqual([['a1', 'n1'], ['a2']]);
    const states = log.incidents.map((i) => project(i.id, i.events));
    const duplicates = possibleDuplicates(states);
    expect(duplicates.get(states[0]!.id)).toEqual([states[1]!.id]);
    expect(duplicates.get(states[1]!.id)).toEqual([states[0]!.id]);
  });
});

describe('event.retracted placement', () => {
  const alert = ev('a1', 'alert.triggered', '10:00', { incidentKey: 'INC-1' });
  const note = ev('n1', 'note.added', '10:10', { incidentKey: 'INC-1' });
  const retraction = ev('r1', 'event.retracted', '09:00', { service: 'elsewhere', incidentKey: 'OTHER' }, { eventId: 'n1', reason: 'wrong' });

  it('belongs to the incident holding the retracted event, never by its key or window', () => {
    const log = correlateLog([retraction, note, alert]);
    expect(log.incidents).toHaveLength(1);
    expect(log.incidents[0]!.events.map((e) => e.id)).toEqual(['r1', 'a1', 'n1']);
    expect(project(log.incidents[0]!.id, log.incidents[0]!.events).notes).toEqual([]);
  });

  it('waits unattached while its target is not placed', () => {
    const stray = ev('n2', 'note.added', '10:10', { service: 'nowhere' });
    const waiting = ev('r2', 'event.retracted', '10:20', {}, { eventId: 'n2', reason: 'wrong' });
    const log = correlateLog([alert, stray, waiting]);
    expect(log.unattached.map((e) => e.id).sort()).toEqual(['n2', 'r2']);
  });
});

describe('incident.merged in correlateLog', () => {
  const a = ev('a1', 'alert.triggered', '10:00', { incidentKey: 'INC-A' });
  const aNote = ev('an', 'note.added', '10:02', { incidentKey: 'INC-A' });
  const b = ev('b1', 'alert.triggered', '10:05', { service: 'billing', incidentKey: 'INC-B' });
  const merge = ev('m1', 'incident.merged', '11:00', { service: 'billing', incidentKey: 'INC-B', actor: 'alice' }, { into: 'INC-A' });

  it('moves every event and key of the merged incident into the target, which answers for it, in any arrival order', () => {
    const expected = correlateLog([a, aNote, b, merge]);
    expect(expected.incidents).toHaveLength(1);
    const [target] = expected.incidents;
    expect(target!.events.map((e) => e.id)).toEqual(['a1', 'an', 'b1', 'm1']);
    expect([...expected.aliases.values()]).toEqual([target!.id]);
    const state = project(target!.id, target!.events);
    expect(state.keys).toEqual(['INC-A', 'INC-B']);
    expect(state.merges).toEqual([{ from: 'INC-B', into: 'INC-A', actor: 'alice', at: '2025-04-05T11:00:00.000Z', eventId: 'm1' }]);
    fc.assert(
      fc.property(shuffles([a, aNote, b, merge]), (arrival) => {
        const log = correlateLog(arrival);
        expect(log.incidents).toEqual(expected.incidents);
        expect(log.aliases).toEqual(expected.aliases);
      }),
      { numRuns: 30 },
    );
  });

  it('changes nothing when the target is unknown or is the incident itself', () => {
    const nowhere = ev('m2', 'incident.merged', '11:00', { service: 'billing', incidentKey: 'INC-B' }, { into: 'INC-NONE' });
    const self = ev('m3', 'incident.merged', '11:01', { service: 'billing', incidentKey: 'INC-B' }, { into: 'INC-B' });
    const log = correlateLog([a, b, nowhere, self]);
    expect(log.incidents).toHaveLength(2);
    expect(log.aliases.size).toBe(0);
  });
});
