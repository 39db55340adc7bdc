import { readAnalytics } from './analytics-data.js';
import { groupingView } from './analytics-view.js';
import { horizontalPlot, niceMax } from './svg-plot.js';

describe('analytics', () => {
  // The timeline's answer (GET /v1/analytics/incidents?groupBy=month).
  const body = {
    groupBy: 'month',
    unit: 'minutes',
    groups: [
      {
        group: '2025-04',
        incidents: 2,
        incidentIds: ['inc-a', 'inc-b'],
        figures: {
          timeToAcknowledge: { p50: 3, p90: 5, p50IncidentId: 'inc-a', p90IncidentId: 'inc-a', incidentIds: ['inc-a'], notRecorded: 1 },
          timeToResolve: { p50: 139, p90: 200, p50IncidentId: 'inc-a', p90IncidentId: 'inc-b', incidentIds: ['inc-a', 'inc-b'], notRecorded: 0 },
        },
      },
      { group: null, incidents: 1, incidentIds: ['inc-c'], figures: { timeToAcknowledge: { p50: null, p90: null, p50IncidentId: null, p90IncidentId: null, incidentIds: [], notRecorded: 1 } } },
    ],
  };

  it('reads the groups, with the incidents behind each figure', () => {
    const [april, none] = readAnalytics(body);
    expect(april).toMatchObject({ key: '2025-04', count: 2, incidentIds: ['inc-a', 'inc-b'] });
    expect(april!.figures.timeToAcknowledge).toEqual({ p50: 3, p90: 5, incidentIds: ['inc-a'] });
    expect(april!.figures.timeToResolve).toEqual({ p50: 139, p90: 200, incidentIds: ['inc-a', 'inc-b'] });
    expect(none).toMatchObject({ key: '(none)', count: 1 });
    expect(none!.figures.timeToAcknowledge).toEqual({ p50: null, p90: null, incidentIds: ['inc-c'] });
    expect(none!.figures.timeToDetect).toEqual({ p50: null, p90: null, incidentIds: ['inc-c'] });
    expect(readAnalytics({ nothing: true })).toEqual([]);
  });

  it('draws each point as a link to its incidents, with a title to read', () => {
    const view = groupingView(readAnalytics(body), 'month');
    const acknowledge = view.plots[0]!.svg;
    expect(acknowledge).toContain('<a href="/incidents?ids=inc-a" class="mark"><title>2025-04: median 3 min over 1 incident</title><circle');
    expect(acknowledge).toContain('role="img"');
    // A month without the figure gets no mark, not a mark at zero.
    expect(acknowledge.match(/<circle/g)).toHaveLength(1);
    expect(view.plots[2]!.svg).toContain('<a href="/incidents?ids=inc-a%2Cinc-b" class="mark"><title>2025-04: 2 incidents</title><rect');
  });

  it('escapes labels and picks round axis maxima', () => {
    expect(horizontalPlot({ title: 't', description: 'd', rows: [{ label: '<svc>', marks: [] }] })).toContain('&lt;svc&gt;');
    expect([niceMax(0), niceMax(7), niceMax(139), niceMax(1000)]).toEqual([1, 10, 200, 1000]);
  });
});
