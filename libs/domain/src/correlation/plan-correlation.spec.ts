import { correlateLog, incidentIdFor, parseEvent, planCorrelation, project, type IncidentEvent } from '../index.js';

function event(id: string, type: string, at: string, extra: Record<string, unknown> = {}): IncidentEvent {
  const data: Record<string, unknown> = type === 'alert.triggered' ? { alertName: 'A' } : type === 'note.added' ? { text: 'n' } : {};
  const result = parseEvent({ id, type, occurredAt: `2025-04-05T${at}:00Z`, source: 'test', service: 'orders', data, ...extra });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.event;
}
const options = { marginMinutes: 30, newIncidentId: incidentIdFor };

describe('incidentIdFor', () => {
  it('names an incident after its opening event: inc- and 16 hex digits of its SHA-256, whatever the id holds', () => {
    expect(incidentIdFor({ id: 'am-7f3c1a9e-firing' })).toMatch(/^inc-[0-9a-f]{16}$/);
    expect(incidentIdFor({ id: 'a/b c?ü' })).toMatch(/^inc-[0-9a-f]{16}$/);
    expect(incidentIdFor({ id: 'x' })).toBe(incidentIdFor({ id: 'x' }));
    expect(incidentIdFor({ id: 'x' })).not.toBe(incidentIdFor({ id: 'y' }));
  });
});

describe('planCorrelation', () => {
  it('opens an incident for a fresh alert, attaches what follows, and names it as the CLI does', () => {
    const alert = event('a1', 'alert.triggered', '10:00', { incidentKey: 'INC-2025-0405-ORD' });
    const note = event('n1', 'note.added', '10:05');
    const plan = planCorrelation([], [note, alert], [], options);
    const id = incidentIdFor(alert);
    expect([...plan.opened]).toEqual([id]);
    expect(plan.attachments.get(id)?.map((e) => e.id)).toEqual(['a1', 'n1']);
    expect(plan.unattached).toEqual([]);
    expect(plan.index.keyToIncident.get('INC-2025-0405-ORD')).toBe(id);
    expect(correlateLog([alert, note]).incidents.map((incident) => incident.id)).toEqual([id]);
  });

  it('attaches to a known incident by its explicit key and by its window, opening nothing', () => {
    const alert = event('a1', 'alert.triggered', '10:00', { incidentKey: 'INC-2025-0405-ORD' });
    const known = project('inc-known', [alert]);
    const byKey = event('k1', 'note.added', '23:00', { incidentKey: 'INC-2025-0405-ORD', service: 'billing' });
    const byWindow = event('w1', 'alert.triggered', '10:10');
    const plan = planCorrelation([known], [byKey, byWindow], [], options);
    expect(plan.opened.size).toBe(0);
    expect(plan.attachments.get('inc-known')?.map((e) => e.id)).toEqual(['w1', 'k1']);
  });

  it('re-offers stored unattached events (rule 4) and reports only fresh events as still unattached', () => {
    const storedNote = event('s1', 'note.added', '09:45');
    const strayStored = event('s2', 'note.added', '05:00');
    const strayFresh = event('f2', 'note.added', '04:00');
    const alert = event('a1', 'alert.triggered', '10:00');
    const plan = planCorrelation([], [alert, strayFresh], [storedNote, strayStored], options);
    expect(plan.attachments.get(incidentIdFor(alert))?.map((e) => e.id)).toEqual(['a1', 's1']);
    expect(plan.unattached.map((e) => e.id)).toEqual(['f2']);
  });

  it('changes neither the known states nor the stored lists it is given', () => {
    const alert = event('a1', 'alert.triggered', '10:00');
    const known = project('inc-known', [alert]);
    const frozen = JSON.stringify(known);
    const stored = [event('s1', 'note.added', '09:45')];
    planCorrelation([known], [event('n1', 'note.added', '10:01')], stored, options);
    expect(JSON.stringify(known)).toBe(frozen);
    expect(stored.map((e) => e.id)).toEqual(['s1']);
  });
});
