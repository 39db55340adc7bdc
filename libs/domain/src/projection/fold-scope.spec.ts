import { evolve, evolveAll, LIST_CAPS, parseEvent, project, type IncidentEvent } from '../index.js';

const note = (i: number): IncidentEvent => {
  const result = parseEvent({
    id: `n${String(i).padStart(6, '0')}`,
    type: i % 2 ? 'note.added' : 'lesson.recorded',
    occurredAt: new Date(Date.UTC(2025, 3, 5, 10) + i * 1000).toISOString(),
    source: 'api',
    service: 'svc',
    data: i % 2 ? { text: `note ${i}` } : { kind: 'went_well', text: `lesson ${i}` },
  });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.event;
};

describe('folding appends in place only to lists of its own run', () => {
  it('never changes the state it starts from, whether it folds one event or several', () => {
    const base = project('i', [note(1), note(2)]);
    const snapshot = structuredClone(base);
    const one = evolve(base, note(3));
    const many = evolveAll(base, [note(3), note(4), note(5)]);
    const again = evolveAll(one, [note(4), note(5)]);
    expect(base).toEqual(snapshot);
    expect(one.notes.map((n) => n.text)).toEqual(['note 1', 'note 3']);
    expect(many).toEqual(again);
    expect(many.notes.map((n) => n.text)).toEqual(['note 1', 'note 3', 'note 5']);
    expect(many.lessons.map((l) => l.text)).toEqual(['lesson 2', 'lesson 4']);
  });

  it('folds tens of thousands of notes into one incident as one pass', () => {
    const events = Array.from({ length: 40_000 }, (_, i) => note(i + 1));
    const state = project('i', events);
    // Capped lists (LIST_CAPS): the first entries are kept, the rest counted.
    expect(state.notes).toHaveLength(LIST_CAPS.notes);
    expect(state.lessons).toHaveLength(LIST_CAPS.lessons);
    expect(state.overflow).toEqual({ notes: 20_000 - LIST_CAPS.notes, lessons: 20_000 - LIST_CAPS.lessons });
    expect(state.eventCount).toBe(40_000);
  });
});

describe('the firing alerts of a storm', () => {
  const alert = (i: number, type: 'alert.triggered' | 'alert.resolved', fingerprint: number): IncidentEvent => {
    const result = parseEvent({
      id: `a${String(i).padStart(6, '0')}`,
      type,
      occurredAt: new Date(Date.UTC(2025, 3, 5, 10) + i * 1000).toISOString(),
      source: 'alertmanager',
      service: 'svc',
      data: { alertName: `Saturation${fingerprint % 7}`, fingerprint: `fp${fingerprint}` },
    });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    return result.event;
  };

  it('are a set kept in first-fired order, and a fold never changes the state it starts from', () => {
    const base = project('i', [alert(1, 'alert.triggered', 1), alert(2, 'alert.triggered', 2), alert(3, 'alert.triggered', 1)]);
    const snapshot = structuredClone(base);
    const next = evolveAll(base, [alert(4, 'alert.triggered', 3), alert(5, 'alert.resolved', 1), alert(6, 'alert.triggered', 2)]);
    expect(base).toEqual(snapshot);
    expect(base.firingAlerts).toEqual(['fingerprint:fp1', 'fingerprint:fp2']);
    expect(next.firingAlerts).toEqual(['fingerprint:fp2', 'fingerprint:fp3']);
    expect(next.open).toBe(true);
  });

  it('resolve the incident when the last of tens of thousands resolves, folded in one pass', () => {
    const storm = 30_000;
    const fired = Array.from({ length: storm }, (_, i) => alert(i, 'alert.triggered', i));
    const resolved = Array.from({ length: storm }, (_, i) => alert(storm + i, 'alert.resolved', storm - 1 - i));
    const firing = project('i', fired);
    expect(firing.firingAlerts).toHaveLength(storm);
    const state = project('i', [...resolved, ...fired]);
    expect(state.firingAlerts).toEqual([]);
    expect(state.status).toBe('resolved');
    expect(state.times.resolvedAt?.eventId).toBe(resolved.at(-1)!.id);
  });
});
