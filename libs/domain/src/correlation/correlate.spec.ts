import {
  correlate,
  correlateLog,
  emptyCorrelationIndex,
  indexEntryFromState,
  buildCorrelationIndex,
  parseEvent,
  project,
  reattach,
  type CorrelationIndex,
  type IncidentEvent,
} from '../index.js';

let counter = 0;
function event(type: string, hhmm: string, extra: Record<string, unknown> = {}): IncidentEvent {
  counter += 1;
  const data: Record<string, unknown> =
    type === 'alert.triggered' ? { alertName: 'A' } : type === 'note.added' ? { text: 'n' } : {};
  const result = parseEvent({
    id: `e${String(counter).padStart(3, '0')}`,
    type,
    occurredAt: `2025-04-05T${hhmm}:00Z`,
    source: 'test',
    service: 'orders',
    data,
    ...extra,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.event;
}
const resolved = (hhmm: string, extra: Record<string, unknown> = {}) =>
  event('status.changed', hhmm, { data: { status: 'resolved' }, ...extra });
const options = { marginMinutes: 30, newIncidentId: (e: IncidentEvent) => `inc-${e.id}` };

function run(events: IncidentEvent[], index: CorrelationIndex = emptyCorrelationIndex()) {
  return events.reduce<{ index: CorrelationIndex; decisions: unknown[] }>(
    (acc, e) => {
      const result = correlate(acc.index, e, options);
      return { index: result.index, decisions: [...acc.decisions, result.decision] };
    },
    { index, decisions: [] },
  );
}

describe('correlate', () => {
  it('rule 3: an opening event opens an incident and links its key', () => {
    const alert = event('page.sent', '10:00', { incidentKey: 'pd:1' });
    const { decisions, index } = run([alert]);
    expect(decisions).toEqual([{ kind: 'open', incidentId: `inc-${alert.id}`, linkKey: 'pd:1' }]);
    expect(index.keyToIncident.get('pd:1')).toBe(`inc-${alert.id}`);
  });

  it('rule 1: a linked key or an incident id attaches, even outside the window and for another service', () => {
    const alert = event('alert.triggered', '10:00', { incidentKey: 'K' });
    const viaKey = event('note.added', '23:00', { incidentKey: 'K', service: 'billing' });
    const viaId = event('note.added', '23:30', { incidentKey: `inc-${alert.id}`, service: 'billing' });
    const { decisions } = run([alert, resolved('11:00', { incidentKey: 'K' }), viaKey, viaId]);
    expect(decisions.slice(2)).toEqual([
      { kind: 'attach', incidentId: `inc-${alert.id}`, rule: 'key' },
      { kind: 'attach', incidentId: `inc-${alert.id}`, rule: 'key' },
    ]);
  });

  it('rule 2: the window opens a margin before the first event, widens with earlier events, links a new key', () => {
    const alert = event('alert.triggered', '10:00');
    const tooEarly = event('note.added', '09:29');
    const early = event('note.added', '09:30', { incidentKey: 'jira:7' });
    const { decisions, index } = run([alert, tooEarly, early]);
    expect(decisions.slice(1)).toEqual([
      { kind: 'unattached' },
      { kind: 'attach', incidentId: `inc-${alert.id}`, rule: 'window', linkKey: 'jira:7' },
    ]);
    expect(index.incidents.get(`inc-${alert.id}`)?.firstEventAtMs).toBe(Date.UTC(2025, 3, 5, 9, 30));
    // the window now starts at 09:00, so the 09:29 event joins on the next re-offer
    expect(reattach(index, [tooEarly], options).attached).toEqual([{ event: tooEarly, incidentId: `inc-${alert.id}`, rule: 'window' }]);
  });

  it('rule 2: of several covering incidents of the service, the one that started last', () => {
    const later = event('alert.triggered', '11:00');
    const earlier = event('alert.triggered', '09:00', { incidentKey: 'other' }); // before later's window: its own incident
    const note = event('note.added', '11:30');
    const { decisions } = run([later, earlier, note]);
    expect(decisions[1]).toEqual({ kind: 'open', incidentId: `inc-${earlier.id}`, linkKey: 'other' });
    expect(decisions[2]).toEqual({ kind: 'attach', incidentId: `inc-${later.id}`, rule: 'window' });
  });

  it('rule 2: a resolved incident does not take later key-less events, a reopened one does', () => {
    const alert = event('alert.triggered', '10:00');
    const after = run([alert, resolved('11:00'), event('note.added', '11:01'), event('alert.triggered', '11:02')]);
    expect(after.decisions[2]).toEqual({ kind: 'unattached' });
    expect(after.decisions[3]).toMatchObject({ kind: 'open' });
    const reopen = event('status.changed', '11:05', { incidentKey: `inc-${alert.id}`, data: { status: 'investigating' } });
    const reopened = run([alert, resolved('11:00'), reopen, event('note.added', '11:06')]);
    expect(reopened.index.incidents.get(`inc-${alert.id}`)?.resolvedAtMs).toBeNull();
    expect(reopened.decisions[3]).toEqual({ kind: 'attach', incidentId: `inc-${alert.id}`, rule: 'window' });
  });

  it('rule 4: a key-less event outside any window stays unattached, then joins when a window covers it', () => {
    const lonely = event('note.added', '09:45');
    const step1 = run([lonely]);
    expect(step1.decisions).toEqual([{ kind: 'unattached' }]);
    expect(reattach(step1.index, [lonely], options).attached).toEqual([]);
    const alert = event('alert.triggered', '10:00');
    const step2 = run([alert], step1.index);
    const result = reattach(step2.index, [lonely], options);
    expect(result.attached).toEqual([{ event: lonely, incidentId: `inc-${alert.id}`, rule: 'window' }]);
    expect(result.unattached).toEqual([]);
  });

  it('rule 4: an event joins once its key becomes linked, and reattach chains links', () => {
    const byKeyA = event('note.added', '20:00', { incidentKey: 'A', service: 'billing' });
    const byKeyB = event('note.added', '21:00', { incidentKey: 'B', service: 'billing' });
    const linksB = event('note.added', '22:00', { incidentKey: 'A' });
    const linkB = { ...linksB, incidentKey: 'B' } as IncidentEvent; // key B, in the window of the incident
    const alert = event('alert.triggered', '10:00', { incidentKey: 'A' });
    const { index } = run([alert]);
    const result = reattach(index, [byKeyB, byKeyA, linkB], options);
    expect(result.attached.map((a) => a.event.id).sort()).toEqual([byKeyA.id, byKeyB.id, linkB.id].sort());
  });

  it('seeds the index from projected states', () => {
    const alert = event('alert.triggered', '10:00', { incidentKey: 'K' });
    const state = project('inc-db-1', [alert, resolved('11:00')]);
    const entry = indexEntryFromState(state);
    expect(entry).toMatchObject({ id: 'inc-db-1', service: 'orders', keys: ['K'], resolvedAtMs: Date.UTC(2025, 3, 5, 11) });
    const index = buildCorrelationIndex(entry ? [entry] : []);
    expect(correlate(index, event('note.added', '12:00', { incidentKey: 'K' }), options).decision).toEqual({
      kind: 'attach',
      incidentId: 'inc-db-1',
      rule: 'key',
    });
    expect(correlate(index, event('note.added', '12:00'), options).decision).toEqual({ kind: 'unattached' });
  });

  it('correlateLog keeps events nobody claims, never dropping them', () => {
    const stray = event('note.added', '08:00', { service: 'billing' });
    const log = correlateLog([event('alert.triggered', '10:00'), stray]);
    expect(log.incidents).toHaveLength(1);
    expect(log.unattached).toEqual([stray]);
  });
});
