import { Inject, Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { IncidentFigures } from '@app/domain';
import { DATA_SOURCE } from '../tokens.js';
import { FIGURE_COLUMNS, figuresOfRow, type FigureRow } from './figure-rows.js';

/** Read side of GET /v1/analytics/incidents: the figure columns of unmerged incidents that started in [from, to). */
@Injectable()
export class AnalyticsQueries {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async figures(range: { from?: string; to?: string }): Promise<IncidentFigures[]> {
    // Served by incidents_figures_by_start (an index-only scan of the range); the states are never read.
    const rows: FigureRow[] = await this.dataSource.query(
      `SELECT ${FIGURE_COLUMNS}
       FROM incidents
       WHERE merged_into IS NULL AND first_event_at >= COALESCE($1::timestamptz, '-infinity') AND first_event_at < COALESCE($2::timestamptz, 'infinity')`,
      [range.from ?? null, range.to ?? null],
    );
    return rows.map(figuresOfRow);
  }
}
