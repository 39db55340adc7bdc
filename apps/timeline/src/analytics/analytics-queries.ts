import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { IncidentFigures } from '@app/domain';
import { DATA_SOURCE } from '../tokens.js';

/** Read side of GET /v1/analytics/incidents: the figure columns of unmerged incidents that started in [from, to). */
@Injectable()
export class AnalyticsQueries {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async figures(range: { from?: string; to?: string }): Promise<IncidentFigures[]> {
    // Served by incidents_figures_by_start (an index-only scan of the range); the states are never read.
    const rows: {
      id: string; service: string; team: string | null; severity: string | null; first_event_at: Date;
      time_to_detect: number | null; time_to_acknowledge: number | null; time_to_mitigate: number | null; time_to_resolve: number | null;
    }[] = await this.dataSource.query(
      `SELECT id, service, team, severity, first_event_at, time_to_detect, time_to_acknowledge, time_to_mitigate, time_to_resolve
       FROM incidents
       WHERE merged_into IS NULL AND first_event_at >= COALESCE($1::timestamptz, '-infinity') AND first_event_at < COALESCE($2::timestamptz, 'infinity')`,
      [range.from ?? null, range.to ?? null],
    );
    return rows.map((row) => ({
      id: row.id,
      service: row.service,
      team: row.team,
      severity: row.severity,
      firstEventAt: row.first_event_at.toISOString(),
      timeToDetect: row.time_to_detect,
      timeToAcknowledge: row.time_to_acknowledge,
      timeToMitigate: row.time_to_mitigate,
      timeToResolve: row.time_to_resolve,
    }));
  }
}
