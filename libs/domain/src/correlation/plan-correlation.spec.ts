import { correlateLog, incidentIdFor, parseEvent, planCorrelation, type IncidentEvent } from '../index.js';

function event(id: string, type: string, at: string, extra: Record<string, unknown> = {}): IncidentEvent {
  const data: Record<string, unknown> = type === 'alert.triggered' || type === 'alert.resolved' ? { alertName: 'A' } : type === 'note.added' ? { text: 'n' } : {};
  const result = parseEvent({ id, type, occurredAt: `2025-04-05T${at}:00Z`, source: 'test', service: 'orders', data, ...extra });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.event;
}
const ids = (events: readonly IncidentEvent[] | undefined) => (events ?? []).map((e) => e.id);

describe('incidentIdFor', () => {
  it('names an incident after its opening event: inc- and 16 hex digits of its SHA-256, whatever the id holds', () => {
    expect(incidentIdFor({ id: 'am-7f3c1a9e-firing' })).toMatch(/^inc-[0-9a-f]{16}$/);
    expect(incidentIdFor({ id: 'a/b c?ü' })).toMatch(/^inc-[0-9a-f]{16}$/);
    expect(incidentIdFor({ id: 'x' })).toBe(incidentIdFor({ id: 'x' }));
    expect(incidentIdFor({ id: 'x' })).not.toBe(incidentIdFor({ id: 'y' }));
  });
});

describe('planCorrelation', () => {
  it('opens an incident for fresh events as the CLI does, linking the explicit key', () => {
    const alert = event('a1', 'alert.triggered', '10:00', { incidentKey: 'INC-2025-0405-ORD' });
    const note = event('n1', 'note.added', '10:05');
    const plan = planCorrelation([], [note, alert]);
    const id = incidentIdFor(alert);
    expect(plan.opened).toEqual([id]);
    expect(plan.freshPlacement).toEqual(new Map([['n1', id], ['a1', id]]));
    expect(ids(plan.added.get(id))).toEqual(['a1', 'n1']);
    expect(plan.changed.map((incident) => [incident.id, incident.keys])).toEqual([[id, ['INC-2025-0405-ORD']]]);
    expect(correlateLog([alert, note]).incidents.map((incident) => incident.id)).toEqual([id]);
  });

  it('adds to a stored incident by key and by window without moving anything stored', () => {
    const alert = event('a1', 'alert.triggered', '10:00', { incidentKey: 'INC-2025-0405-ORD' });
    const id = incidentIdFor(alert);
    const byKey = event('k1', 'note.added', '23:00', { incidentKey: 'INC-2025-0405-ORD', service: 'billing' });
    const byWindow = event('w1', 'alert.triggered', '10:10');
    const plan = planCorrelation([{ event: alert, incidentId: id }], [byKey, byWindow]);
    expect(plan.opened).toEqual([]);
    expect(plan.moves).toEqual([]);
    expect(plan.retired).toEqual([]);
    expect(ids(plan.added.get(id))).toEqual(['w1', 'k1']);
  });

  it('attaches stored unattached events a fresh incident now covers, and leaves fresh strays unattached', () => {
    const storedNote = event('s1', 'note.added', '09:45');
    const strayFresh = event('f2', 'note.added', '04:00');
    const alert = event('a1', 'alert.triggered', '10:00');
    const plan = planCorrelation([{ event: storedNote, incidentId: null }], [alert, strayFresh]);
    expect(plan.moves).toEqual([['s1', incidentIdFor(alert)]]);
    expect(plan.freshPlacement.get('f2')).toBeNull();
    expect(ids(plan.added.get(incidentIdFor(alert)))).toEqual(['s1', 'a1']);
  });

  it('joins two stored incidents when a late alert covers both: the earlier keeps going, the later retires into it', () => {
    // 10:00 opened an incident; 09:00 arrives late: its window (from 08:30, open) covers 10:00.
    const ten = event('ten', 'alert.triggered', '10:00', { incidentKey: 'PD-10' });
    const nine = event('nine', 'alert.triggered', '09:00');
    const plan = planCorrelation([{ event: ten, incidentId: incidentIdFor(ten) }], [nine]);
    expect(plan.retired).toEqual([{ id: incidentIdFor(ten), successor: incidentIdFor(nine) }]);
    expect(plan.moves).toEqual([['ten', incidentIdFor(nine)]]);
    expect(plan.changed.map((incident) => [incident.id, ids(incident.events), incident.keys])).toEqual([[incidentIdFor(nine), ['nine', 'ten'], ['PD-10']]]);
  });

  it('splits a stored incident when a late resolution ends it before later alerts', () => {
    const alert = event('a1', 'alert.triggered', '10:00', { incidentKey: 'K' });
    const later = event('a2', 'alert.triggered', '12:00');
    const stored = [alert, later].map((e) => ({ event: e, incidentId: incidentIdFor(alert) }));
    const resolved = event('r1', 'status.changed', '11:00', { data: { status: 'resolved' }, incidentKey: 'K' });
    const plan = planCorrelation(stored, [resolved]);
    expect(plan.moves).toEqual([['a2', incidentIdFor(later)]]);
    expect(plan.opened).toEqual([incidentIdFor(later)]);
    expect(plan.retired).toEqual([]);
    expect(plan.detached).toEqual([]);
  });

  it('detaches a stored note that the split leaves outside every window, naming the incident that held it', () => {
    const alert = event('a1', 'alert.triggered', '10:00', { incidentKey: 'K' });
    const note = event('n1', 'note.added', '11:10', { data: { text: 'still looking' } });
    const later = event('a2', 'alert.triggered', '12:00');
    const stored = [alert, note, later].map((e) => ({ event: e, incidentId: incidentIdFor(alert) }));
    const plan = planCorrelation(stored, [event('r1', 'status.changed', '11:00', { data: { status: 'resolved' }, incidentKey: 'K' })]);
    // 11:10 is after the resolution and before the 12:00 incident's window opens (11:30).
    expect(plan.moves).toEqual([['n1', null], ['a2', incidentIdFor(later)]]);
    expect(plan.detached).toEqual([{ eventId: 'n1', from: incidentIdFor(alert) }]);
  });

  it('changes nothing it is given', () => {
    const stored = [{ event: event('s1', 'note.added', '09:45'), incidentId: null }];
    const frozen = JSON.stringify(stored);
    planCorrelation(stored, [event('a1', 'alert.triggered', '10:00')]);
    expect(JSON.stringify(stored)).toBe(frozen);
  });
});
