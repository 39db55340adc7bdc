import { FIGURES, type AnalyticsGroup, type FigureName } from './analytics-data.js';
import { horizontalPlot, SERIES_COLOURS } from './svg-plot.js';

const incidentsHref = (ids: string[]) => `/incidents?ids=${encodeURIComponent(ids.slice(0, 200).join(','))}`;
const minutes = (value: number | null) => (value === null ? 'none' : `${value} min`);
const incidents = (count: number) => `${count} incident${count === 1 ? '' : 's'}`;

function timePlot(groups: AnalyticsGroup[], figure: FigureName, label: string, by: string): string {
  return horizontalPlot({
    title: `${label} by ${by}, minutes`,
    description: `For each ${by}, the median (circle) and 90th percentile (diamond) ${label.toLowerCase()} in minutes; each mark links to its incidents.`,
    rows: groups.map((group) => {
      const stats = group.figures[figure];
      return {
        label: group.key,
        marks: [
          { series: 0, value: stats.p50, href: incidentsHref(stats.incidentIds), title: `${group.key}: median ${minutes(stats.p50)} over ${incidents(stats.incidentIds.length)}` },
          { series: 1, value: stats.p90, href: incidentsHref(stats.incidentIds), title: `${group.key}: 90th percentile ${minutes(stats.p90)} over ${incidents(stats.incidentIds.length)}` },
        ],
      };
    }),
  });
}

function countPlot(groups: AnalyticsGroup[], by: string): string {
  return horizontalPlot({
    title: `Incidents by ${by}`,
    description: `The number of incidents of each ${by}; each bar links to them.`,
    bars: true,
    rows: groups.map((group) => ({
      label: group.key,
      marks: [{ series: 2, value: group.count, href: incidentsHref(group.incidentIds), title: `${group.key}: ${incidents(group.count)}` }],
    })),
  });
}

/** The plots of one grouping, and the same figures as a table for those who prefer to read them. */
export function groupingView(groups: AnalyticsGroup[], by: 'month' | 'service') {
  return {
    by,
    empty: groups.length === 0,
    plots: [
      { heading: `Time to acknowledge by ${by}`, svg: timePlot(groups, 'timeToAcknowledge', 'Time to acknowledge', by) },
      { heading: `Time to resolve by ${by}`, svg: timePlot(groups, 'timeToResolve', 'Time to resolve', by) },
      { heading: `Incident count by ${by}`, svg: countPlot(groups, by) },
    ],
    table: groups.map((group) => ({
      key: group.key,
      count: group.count,
      href: incidentsHref(group.incidentIds),
      cells: FIGURES.map(({ name }) => `${minutes(group.figures[name].p50)} / ${minutes(group.figures[name].p90)}`),
    })),
    figureLabels: FIGURES.map(({ label }) => label),
  };
}

export const legend = [
  { shape: 'circle', colour: SERIES_COLOURS[0], label: 'median (p50)' },
  { shape: 'diamond', colour: SERIES_COLOURS[1], label: '90th percentile (p90)' },
];
