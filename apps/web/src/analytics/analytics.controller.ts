import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CsrfTokens } from '../access/csrf.js';
import { pageContext, queryOf, sendHtml } from '../pages/page-context.js';
import { Views } from '../pages/views.js';
import { TimelineApi } from '../upstream/timeline-api.js';
import { UpstreamError } from '../upstream/upstream.js';
import { readAnalytics } from './analytics-data.js';
import { groupingView, legend } from './analytics-view.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

@Controller('analytics')
export class AnalyticsController {
  constructor(
    private readonly timeline: TimelineApi,
    private readonly views: Views,
    private readonly csrf: CsrfTokens,
  ) {}

  @Get()
  async analytics(@Req() request: Request, @Res() response: Response): Promise<void> {
    const query = queryOf(request);
    const from = typeof query.from === 'string' && DATE.test(query.from) ? query.from : undefined;
    const to = typeof query.to === 'string' && DATE.test(query.to) ? query.to : undefined;
    let unavailable: string | undefined;
    const load = (groupBy: 'month' | 'service') =>
      this.timeline.analytics(groupBy, { from, to }).then(readAnalytics, (error: unknown) => {
        // A timeline without the analytics endpoint (older version) leaves the page readable.
        if (error instanceof UpstreamError && error.type === 'not-found') {
          unavailable = 'The timeline service does not offer analytics yet (GET /v1/analytics/incidents).';
          return [];
        }
        throw error;
      });
    const [byMonth, byService] = await Promise.all([load('month'), load('service')]);
    const groupings = [groupingView(byMonth, 'month'), groupingView(byService, 'service')];
    sendHtml(response, 200, this.views.render('analytics', pageContext(response, this.csrf, 'Analytics', { groupings, legend, from, to, unavailable, navAnalytics: true })));
  }
}
