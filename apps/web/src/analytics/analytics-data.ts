/**
 * GET /v1/analytics/incidents (INTERFACES.md): `{ groups: [{ group, incidents, incidentIds,
 * figures: { timeToAcknowledge: { p50, p90, incidentIds, ... }, ... } }] }`, per group the incident
 * count and p50/p90 of the times, each with the incidents behind it. A figure missing from an answer
 * reads as not recorded, so the page shows what the timeline has.
 */
export const FIGURES = [
  { name: 'timeToDetect', label: 'Time to detect' },
  { name: 'timeToAcknowledge', label: 'Time to acknowledge' },
  { name: 'timeToMitigate', label: 'Time to mitigate' },
  { name: 'timeToResolve', label: 'Time to resolve' },
] as const;

export type FigureName = (typeof FIGURES)[number]['name'];

export interface FigureStats {
  p50: number | null;
  p90: number | null;
  incidentIds: string[];
}

export interface AnalyticsGroup {
  key: string;
  count: number;
  incidentIds: string[];
  figures: Record<FigureName, FigureStats>;
}

const record = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
const number = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const ids = (value: unknown): string[] => (Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : []);

function figure(group: Record<string, unknown>, name: FigureName, groupIds: string[]): FigureStats {
  const raw = record(record(group.figures)[name]);
  const own = ids(raw.incidentIds);
  return { p50: number(raw.p50), p90: number(raw.p90), incidentIds: own.length > 0 ? own : groupIds };
}

export function readAnalytics(body: unknown): AnalyticsGroup[] {
  const top = record(body);
  const list = Array.isArray(top.groups) ? top.groups : [];
  return list.map((item) => {
    const group = record(item);
    const groupIds = ids(group.incidentIds);
    return {
      // Incidents that record no service, team or severity form a group of their own.
      key: typeof group.group === 'string' ? group.group : '(none)',
      count: number(group.incidents) ?? groupIds.length,
      incidentIds: groupIds,
      figures: Object.fromEntries(FIGURES.map(({ name }) => [name, figure(group, name, groupIds)])) as Record<FigureName, FigureStats>,
    };
  });
}
