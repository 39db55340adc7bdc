import { evolve, LIST_CAPS, parseEvent, project, type IncidentEvent, type IncidentState } from '../index.js';

const note = (i: number): IncidentEvent => {
  const parsed = parseEvent({ id: `n-${String(i).padStart(4, '0')}`, type: 'note.added', occurredAt: new Date(Date.UTC(2025, 3, 5, 10) + i * 60_000).toISOString(), source: 'api', service: 'svc', data: { text: `note ${i}` } });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.event;
};

describe('a capped list', () => {
  const full = () => project('inc', Array.from({ length: LIST_CAPS.notes }, (_, i) => note(i)));

  it('holds exactly its cap: the next entry is counted, not kept', () => {
    const state = evolve(full(), note(LIST_CAPS.notes));
    expect(state.notes).toHaveLength(LIST_CAPS.notes);
    expect(state.overflow).toEqual({ notes: 1 });
  });

  it('counts on a state stored before the caps existed, which has no overflow', () => {
    const { overflow: _none, ...stored } = full();
    const state = evolve(stored as IncidentState, note(LIST_CAPS.notes));
    expect(state.overflow).toEqual({ notes: 1 });
  });
});
