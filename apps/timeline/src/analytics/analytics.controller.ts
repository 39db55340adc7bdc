import { Controller, Get, Headers, Query, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import { ANALYTICS_GROUPINGS, incidentAnalytics, incidentAnalyticsCsv } from '@app/domain';
import { invalidRequest, ReadAccessGuard } from '@app/platform';
import { AnalyticsQueries } from './analytics-queries.js';

/** A day (`2025-06-01`, midnight UTC) or an RFC 3339 instant with offset. */
const instant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

/** Query of GET /v1/analytics/incidents; exported for the OpenAPI document (openapi.ts). */
export const analyticsQuery = z.strictObject({
  groupBy: z.enum(ANALYTICS_GROUPINGS),
  from: instant.optional().meta({ description: 'incidents whose first event is at or after this day (UTC) or instant' }),
  to: instant.optional().meta({ description: 'incidents whose first event is before this day (UTC) or instant' }),
});

const toInstant = (value: string | undefined) =>
  value === undefined ? undefined : new Date(Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value)).toISOString();

@Controller('v1/analytics')
@UseGuards(ReadAccessGuard)
export class AnalyticsController {
  constructor(private readonly queries: AnalyticsQueries) {}

  /** Per group: incident count and p50/p90 of each figure with the incidents behind it; CSV with `Accept: text/csv`. */
  @Get('incidents')
  async incidents(@Query() query: Record<string, unknown>, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) response: Response) {
    const parsed = analyticsQuery.safeParse(query);
    if (!parsed.success) {
      throw invalidRequest(parsed.error.issues.map((issue) => ({ path: issue.path.join('.') || String((issue as { keys?: string[] }).keys ?? ''), message: issue.message })));
    }
    const { groupBy } = parsed.data;
    const from = toInstant(parsed.data.from);
    const to = toInstant(parsed.data.to);
    const groups = incidentAnalytics(await this.queries.figures({ from, to }), groupBy);
    if (accept?.includes('text/csv')) {
      response.type('text/csv; charset=utf-8');
      return incidentAnalyticsCsv(groups, groupBy);
    }
    return { groupBy, from: from ?? null, to: to ?? null, unit: 'minutes', percentiles: 'nearest-rank', groups };
  }
}
