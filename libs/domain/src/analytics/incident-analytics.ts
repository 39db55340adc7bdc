import type { IncidentState } from '../projection/state.js';

/*
 * Figures across incidents (INTERFACES.md, December additions: GET /v1/analytics/incidents): per group, the
 * incident count and the p50 and p90 of time to detect, acknowledge, mitigate and resolve. Percentiles, not
 * means, by the nearest-rank method, so each is the figure of one real incident, named with it; every
 * figure lists the incidents behind it and counts those where it is not recorded. Pure.
 */

export const ANALYTICS_GROUPINGS = ['service', 'team', 'severity', 'month'] as const;
export type AnalyticsGrouping = (typeof ANALYTICS_GROUPINGS)[number];

export const ANALYTICS_FIGURES = ['timeToDetect', 'timeToAcknowledge', 'timeToMitigate', 'timeToResolve'] as const;
export type AnalyticsFigure = (typeof ANALYTICS_FIGURES)[number];

/** What analytics needs of one incident: a small row, kept beside the projection so a query never reads states. */
export interface IncidentFigures {
  id: string;
  service: string | null;
  team: string | null;
  severity: string | null;
  /** UTC instant of the first event (ISO). */
  firstEventAt: string;
  /** Whole minutes, null where not recorded. */
  timeToDetect: number | null;
  timeToAcknowledge: number | null;
  timeToMitigate: number | null;
  timeToResolve: number | null;
}

export function incidentFiguresOf(state: IncidentState): IncidentFigures | null {
  if (!state.firstEventAt) return null;
  const d = state.durations;
  return {
    id: state.id,
    service: state.primaryService,
    team: state.team?.value ?? null,
    severity: state.severity?.value ?? null,
    firstEventAt: state.firstEventAt,
    timeToDetect: d.timeToDetectMinutes,
    timeToAcknowledge: d.timeToAcknowledgeMinutes,
    timeToMitigate: d.timeToMitigateMinutes,
    timeToResolve: d.timeToResolveMinutes,
  };
}

export interface PercentileFigure {
  /** Minutes; null when no incident of the group records the figure. */
  p50: number | null;
  p90: number | null;
  /** The incident whose figure each percentile is. */
  p50IncidentId: string | null;
  p90IncidentId: string | null;
  /** Incidents that record the figure (the ones behind p50 and p90), by figure then id. */
  incidentIds: string[];
  /** Incidents of the group where the figure is not recorded. */
  notRecorded: number;
}

export interface AnalyticsGroup {
  /** The service, team, severity (`P1`..`P5`) or month (`YYYY-MM`, UTC); null where the incidents record none. */
  group: string | null;
  incidents: number;
  incidentIds: string[];
  figures: Record<AnalyticsFigure, PercentileFigure>;
}

/** The grouping value of one incident. */
export function groupOf(row: IncidentFigures, groupBy: AnalyticsGrouping): string | null {
  if (groupBy === 'month') return new Date(Date.parse(row.firstEventAt)).toISOString().slice(0, 7);
  return row[groupBy];
}

/**
 * Nearest rank: the smallest recorded figure such that at least p% of the recorded figures are at or below
 * it (p50 of 1, 2, 3, 4 is 2; p90 of ten figures is the ninth). Ties ordered by incident id.
 */
export function nearestRank(sorted: readonly { id: string; value: number }[], percent: number): { id: string; value: number } | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((percent / 100) * sorted.length));
  return sorted[rank - 1]!;
}

function percentileFigure(rows: readonly IncidentFigures[], figure: AnalyticsFigure): PercentileFigure {
  const recorded = rows
    .flatMap((row) => (row[figure] === null ? [] : [{ id: row.id, value: row[figure] }]))
    .sort((a, b) => a.value - b.value || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const p50 = nearestRank(recorded, 50);
  const p90 = nearestRank(recorded, 90);
  return {
    p50: p50?.value ?? null,
    p90: p90?.value ?? null,
    p50IncidentId: p50?.id ?? null,
    p90IncidentId: p90?.id ?? null,
    incidentIds: recorded.map((entry) => entry.id),
    notRecorded: rows.length - recorded.length,
  };
}

/** The groups, ordered by their value (null last); incidents within a group by id. */
export function incidentAnalytics(rows: readonly IncidentFigures[], groupBy: AnalyticsGrouping): AnalyticsGroup[] {
  const groups = new Map<string | null, IncidentFigures[]>();
  for (const row of rows) {
    const key = groupOf(row, groupBy);
    const list = groups.get(key);
    if (list) list.push(row);
    else groups.set(key, [row]);
  }
  return [...groups]
    .sort(([a], [b]) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1))
    .map(([group, members]) => ({
      group,
      incidents: members.length,
      incidentIds: members.map((row) => row.id).sort(),
      figures: Object.fromEntries(ANALYTICS_FIGURES.map((figure) => [figure, percentileFigure(members, figure)])) as Record<AnalyticsFigure, PercentileFigure>,
    }));
}

const CSV_FIGURE_COLUMNS = ['p50', 'p90', 'p50_incident_id', 'p90_incident_id', 'recorded', 'not_recorded', 'incident_ids'] as const;
const snake = (figure: AnalyticsFigure) => figure.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** RFC 4180 field: quoted when it holds a comma, quote or line break. */
function csvField(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The same figures as CSV (RFC 4180, CRLF): one row per group; id lists space-separated; empty where not recorded. */
export function incidentAnalyticsCsv(groups: readonly AnalyticsGroup[], groupBy: AnalyticsGrouping): string {
  const header = [groupBy, 'incidents', ...ANALYTICS_FIGURES.flatMap((figure) => CSV_FIGURE_COLUMNS.map((column) => `${snake(figure)}_${column}`))];
  const lines = groups.map((group) => [
    group.group,
    group.incidents,
    ...ANALYTICS_FIGURES.flatMap((name) => {
      const f = group.figures[name];
      return [f.p50, f.p90, f.p50IncidentId, f.p90IncidentId, f.incidentIds.length, f.notRecorded, f.incidentIds.join(' ')];
    }),
  ]);
  return [header, ...lines].map((fields) => fields.map(csvField).join(',')).join('\r\n') + '\r\n';
}
