import { ANALYTICS_FIGURES, nearestRank, type AnalyticsFigure, type IncidentFigures } from '../analytics/incident-analytics.js';
import type { CorrelationSettings } from '../correlation/settings.js';
import type { MovedEvents, PartitionComparison } from './compare-partitions.js';

/** An incident in a replay report: its primary service, its number of events and the analytics figures (minutes). */
export type ReplayFigures = { service: string | null; events: number } & Record<AnalyticsFigure, number | null>;

export interface ReplayPercentiles {
  p50: number | null;
  p90: number | null;
  recorded: number;
  notRecorded: number;
}

/** What `correlation:replay` prints (`--json`), INTERFACES.md. */
export interface ReplayReport {
  settings: { marginMinutes: number; idleMinutes: number; groupLabels: string[]; serviceGroups: Record<string, string[]> };
  /** The days given (`--from`, `--to`), null when not. */
  from: string | null;
  to: string | null;
  events: number;
  incidents: { stored: number; replayed: number; unchanged: number };
  unattached: { stored: number; replayed: number };
  merged: PartitionComparison['merged'];
  split: PartitionComparison['split'];
  moved: { events: number; groups: MovedEvents[] };
  figures: {
    unit: 'minutes';
    percentiles: 'nearest-rank';
    /** Incidents whose figures differ; null on the side where the incident does not exist. */
    incidents: { id: string; stored: ReplayFigures | null; replayed: ReplayFigures | null }[];
    /** Across every incident compared, stored against replayed. */
    overall: Record<AnalyticsFigure, { stored: ReplayPercentiles; replayed: ReplayPercentiles }>;
  };
}

export interface ReplayReportInput {
  comparison: PartitionComparison;
  settings: CorrelationSettings;
  from?: string | null;
  to?: string | null;
  /** Figures of the stored incidents compared (as stored: their projections). */
  storedFigures: ReadonlyMap<string, IncidentFigures>;
  /** Figures of the changed replayed incidents (comparison.changed), projected from their events. */
  replayedFigures: ReadonlyMap<string, IncidentFigures>;
}

const figuresOf = (events: number, row: IncidentFigures | undefined): ReplayFigures => ({
  service: row?.service ?? null,
  events,
  ...(Object.fromEntries(ANALYTICS_FIGURES.map((figure) => [figure, row?.[figure] ?? null])) as Record<AnalyticsFigure, number | null>),
});

const sameFigures = (a: ReplayFigures | null, b: ReplayFigures | null) =>
  a !== null && b !== null && a.service === b.service && a.events === b.events && ANALYTICS_FIGURES.every((figure) => a[figure] === b[figure]);

function percentiles(rows: readonly (IncidentFigures | undefined)[], figure: AnalyticsFigure): ReplayPercentiles {
  const recorded = rows
    .flatMap((row) => (row?.[figure] == null ? [] : [{ id: row.id, value: row[figure] }]))
    .sort((a, b) => a.value - b.value || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    p50: nearestRank(recorded, 50)?.value ?? null,
    p90: nearestRank(recorded, 90)?.value ?? null,
    recorded: recorded.length,
    notRecorded: rows.length - recorded.length,
  };
}

/** The report of a replay: the comparison of partitions, and the figures that change with it. Pure. */
export function replayReport(input: ReplayReportInput): ReplayReport {
  const { comparison, settings, storedFigures, replayedFigures } = input;
  const storedRows = new Map(comparison.changedStored.map(({ id, events }) => [id, figuresOf(events, storedFigures.get(id))]));
  const replayedRows = new Map(comparison.changed.map(({ id, eventIds }) => [id, figuresOf(eventIds.length, replayedFigures.get(id))]));
  const ids = [...new Set([...storedRows.keys(), ...replayedRows.keys()])].sort(comparison.compareStarts);
  const incidents = ids
    .map((id) => ({ id, stored: storedRows.get(id) ?? null, replayed: replayedRows.get(id) ?? null }))
    .filter((row) => !sameFigures(row.stored, row.replayed));

  const storedAll = [...comparison.unchanged, ...storedRows.keys()].map((id) => storedFigures.get(id));
  const replayedAll = [...[...comparison.unchanged].map((id) => storedFigures.get(id)), ...comparison.changed.map(({ id }) => replayedFigures.get(id))];
  const overall = Object.fromEntries(
    ANALYTICS_FIGURES.map((figure) => [figure, { stored: percentiles(storedAll, figure), replayed: percentiles(replayedAll, figure) }]),
  ) as ReplayReport['figures']['overall'];

  const serviceGroups: Record<string, string[]> = {};
  // As the setting names them (parseServiceGroups keeps their order).
  for (const [service, group] of settings.serviceGroups) (serviceGroups[group] ??= []).push(service);
  return {
    settings: { marginMinutes: settings.marginMinutes, idleMinutes: settings.idleMinutes, groupLabels: [...settings.groupLabels], serviceGroups },
    from: input.from ?? null,
    to: input.to ?? null,
    events: comparison.events,
    incidents: { stored: comparison.stored.incidents, replayed: comparison.replayed.incidents, unchanged: comparison.unchanged.size },
    unattached: { stored: comparison.stored.unattached, replayed: comparison.replayed.unattached },
    merged: comparison.merged,
    split: comparison.split,
    moved: { events: comparison.moved.reduce((sum, group) => sum + group.eventIds.length, 0), groups: comparison.moved },
    figures: { unit: 'minutes', percentiles: 'nearest-rank', incidents, overall },
  };
}
