import { timelineWindow } from './incident-view.js';
import { listView, parseListFilter } from './incident-list.js';
import { initialIncidentState, type IncidentState } from '@app/domain';

describe('timelineWindow', () => {
  it('shows the latest rows first, with links to the earlier ones', () => {
    expect(timelineWindow(10_000, undefined, 200)).toMatchObject({ start: 9800, end: 10_000, earliest: 0, earlier: 9600, later: null, latest: null, windowed: true });
    expect(timelineWindow(10_000, 0, 200)).toMatchObject({ start: 0, end: 200, earliest: null, earlier: null, later: 200, latest: 9800 });
    expect(timelineWindow(50, undefined, 200)).toMatchObject({ start: 0, end: 50, windowed: false, later: null });
    expect(timelineWindow(500, 450, 200)).toMatchObject({ start: 300, end: 500 });
    expect(timelineWindow(500, -3, 200)).toMatchObject({ start: 300 });
  });
});

function incident(id: string, patch: Partial<IncidentState>): IncidentState {
  return { ...initialIncidentState(id), ...patch };
}

describe('the incident list', () => {
  const incidents = [
    incident('inc-a', { open: false, services: ['order-service'], severity: { value: 'P2', at: '2025-01-01T00:00:00.000Z', eventId: 'e1' }, alertNames: ['DiskFull'] }),
    incident('inc-b', { open: true, services: ['payments'], notes: [{ text: 'Rolled back the canary', at: '2025-01-01T00:00:00.000Z', eventId: 'e2' }] }),
    incident('inc-c', { open: true, services: ['order-service', 'auth'], title: { value: 'Checkout errors', at: '2025-01-01T00:00:00.000Z', eventId: 'e3' } }),
  ];

  it('puts open incidents first and filters by service, severity and text', () => {
    expect(listView(incidents, parseListFilter({})).rows.map((row) => row.id)).toEqual(['inc-b', 'inc-c', 'inc-a']);
    expect(listView(incidents, parseListFilter({ service: 'order-service' })).rows.map((row) => row.id)).toEqual(['inc-c', 'inc-a']);
    expect(listView(incidents, parseListFilter({ severity: 'P2' })).rows.map((row) => row.id)).toEqual(['inc-a']);
    expect(listView(incidents, parseListFilter({ q: 'canary rolled' })).rows.map((row) => row.id)).toEqual(['inc-b']);
    expect(listView(incidents, parseListFilter({ q: 'diskfull' })).rows.map((row) => row.id)).toEqual(['inc-a']);
    expect(listView(incidents, parseListFilter({ q: 'checkout', status: 'open' })).rows.map((row) => row.id)).toEqual(['inc-c']);
  });

  it('ignores malformed filters rather than failing the page', () => {
    expect(parseListFilter({ status: 'weird', severity: 'P9', service: 'Not A Service', page: '-2' })).toEqual({ page: 1, status: undefined, severity: undefined, service: undefined, q: undefined, ids: undefined });
  });

  it('pages 25 at a time, keeping the filters in the links', () => {
    const many = Array.from({ length: 60 }, (_, i) => incident(`inc-${String(i).padStart(2, '0')}`, { open: true, services: ['api'] }));
    const second = listView(many, parseListFilter({ service: 'api', page: '2' }));
    expect(second.rows).toHaveLength(25);
    expect(second.rows[0]!.id).toBe('inc-25');
    expect(second.previous).toBe('/incidents?service=api&page=1');
    expect(second.next).toBe('/incidents?service=api&page=3');
  });
});
