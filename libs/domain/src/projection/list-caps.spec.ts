import { parseEvent, type IncidentEvent } from '../events/index.js';
import { buildRcaView } from '../rca/index.js';
import { LIST_CAPS } from './list-caps.js';
import { project } from './project.js';

const event = (id: string, type: string, minute: number, data: Record<string, unknown>): IncidentEvent => {
  const parsed = parseEvent({ id, type, occurredAt: new Date(Date.UTC(2025, 3, 5, 10) + minute * 60_000).toISOString(), source: 'api', service: 'svc', data });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.event;
};

describe('lists in the state are capped, the overflow counted', () => {
  const notes = Array.from({ length: LIST_CAPS.notes + 7 }, (_, i) => event(`n-${String(i).padStart(4, '0')}`, 'note.added', i, { text: `note ${i}` }));
  const steps = Array.from({ length: LIST_CAPS.resolutionSteps + 3 }, (_, i) => event(`s-${String(i).padStart(4, '0')}`, 'resolution.step', i, { description: `step ${i}` }));
  const alerts = Array.from({ length: LIST_CAPS.alertNames + 2 }, (_, i) => event(`a-${i}`, 'alert.triggered', i, { alertName: `Alert${i}` }));
  const all = [...alerts, ...notes, ...steps];

  it('keeps the first entries in event time and counts the rest', () => {
    const state = project('inc-1', all);
    expect(state.notes).toHaveLength(LIST_CAPS.notes);
    expect(state.notes[0]!.text).toBe('note 0');
    expect(state.resolutionSteps).toHaveLength(LIST_CAPS.resolutionSteps);
    expect(state.alertNames).toHaveLength(LIST_CAPS.alertNames);
    expect(state.overflow).toEqual({ notes: 7, resolutionSteps: 3, alertNames: 2 });
    expect(state.eventCount).toBe(all.length);
  });

  it('is still a function of the set: any arrival order gives the same state', () => {
    const reversed = project('inc-1', [...all].reverse());
    expect(reversed).toEqual(project('inc-1', all));
  });

  it('says so in the RCA appendix', () => {
    const view = buildRcaView(project('inc-1', all), { preparedOn: '2025-04-06' });
    expect(view.appendix.filter((row) => row.figure.startsWith('Capped'))).toEqual([
      { figure: 'Capped: alert names', value: 'the first 100 are shown, 2 more are not', eventIds: '_not recorded_' },
      { figure: 'Capped: resolution steps', value: 'the first 200 are shown, 3 more are not', eventIds: '_not recorded_' },
      { figure: 'Capped: notes', value: 'the first 500 are shown, 7 more are not', eventIds: '_not recorded_' },
    ]);
  });

  it('adds nothing to the state or the RCA of an incident under the caps', () => {
    const state = project('inc-2', all.slice(0, 10));
    expect(state.overflow).toEqual({});
    expect(buildRcaView(state, { preparedOn: '2025-04-06' }).appendix.some((row) => row.figure.startsWith('Capped'))).toBe(false);
  });
});
