import { readAnalytics } from './analytics-data.js';
import { groupingView } from './analytics-view.js';
import { horizontalPlot, niceMax } from './svg-plot.js';

describe('analytics', () => {
  const body = {
    groupBy: 'month',
    groups: [
      { key: '2025-04', count: 2, incidentIds: ['inc-a', 'inc-b'], timeToAcknowledge: { p50: 3, p90: 5, incidentIds: ['inc-a'] }, timeToResolve: { p50: 139, p90: 200 } },
      { key: '2025-05', count: 1, incidentIds: ['inc-c'], timeToAcknowledgeMinutes: { p50: null, p90: null } },
    ],
  };

  it('reads the groups, with the incidents behind each figure', () => {
    const [april, may] = readAnalytics(body);
    expect(april).toMatchObject({ key: '2025-04', count: 2, incidentIds: ['inc-a', 'inc-b'] });
    expect(april!.figures.timeToAcknowledge).toEqual({ p50: 3, p90: 5, incidentIds: ['inc-a'] });
    expect(april!.figures.timeToResolve).toEqual({ p50: 139, p90: 200, incidentIds: ['inc-a', 'inc-b'] });
    expect(may!.figures.timeToAcknowledge).toEqual({ p50: null, p90: null, incidentIds: ['inc-c'] });
    expect(readAnalytics({ nothing: true })).toEqual([]);
  });

  it('draws each point as a link to its incidents, with a title to read', () => {
    const view = groupingView(readAnalytics(body), 'month');
    const acknowledge = view.plots[0]!.svg;
    expect(acknowledge).toContain('<a href="/incidents?ids=inc-a" class="mark"><title>2025-04: median 3 min over 1 incidents</title><circle');
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
