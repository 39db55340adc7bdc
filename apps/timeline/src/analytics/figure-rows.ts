import type { IncidentFigures } from '@app/domain';

/** The small columns kept beside each projection for figures across incidents (analytics, the replay). */
export const FIGURE_COLUMNS = 'id, service, team, severity, first_event_at, time_to_detect, time_to_acknowledge, time_to_mitigate, time_to_resolve';

export interface FigureRow {
  id: string;
  service: string;
  team: string | null;
  severity: string | null;
  first_event_at: Date;
  time_to_detect: number | null;
  time_to_acknowledge: number | null;
  time_to_mitigate: number | null;
  time_to_resolve: number | null;
}

export const figuresOfRow = (row: FigureRow): IncidentFigures => ({
  id: row.id,
  service: row.service,
  team: row.team,
  severity: row.severity,
  firstEventAt: row.first_event_at.toISOString(),
  timeToDetect: row.time_to_detect,
  timeToAcknowledge: row.time_to_acknowledge,
  timeToMitigate: row.time_to_mitigate,
  timeToResolve: row.time_to_resolve,
});
