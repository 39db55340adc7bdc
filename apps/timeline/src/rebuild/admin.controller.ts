import { Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import type { DataSource } from 'typeorm';
import { authorizeBearer, conflict, forbidden, unsupportedMediaType } from '@app/platform';
import { TIMELINE_CONFIG, type TimelineConfig } from '../config.js';
import { DATA_SOURCE } from '../tokens.js';
import { rebuildTimelineAlone } from './rebuild-projections.js';

@Controller('v1/admin')
export class AdminController {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(TIMELINE_CONFIG) private readonly config: TimelineConfig,
  ) {}

  @Post('rebuild')
  @HttpCode(200)
  async rebuild(@Req() request: Request) {
    refuseCrossSite(request);
    authorizeBearer(request, this.config.ADMIN_TOKENS, 'ADMIN_TOKENS');
    // One at a time (across instances too): two would rewrite the same projections twice over, holding the lock in turn.
    // Projections only: correlating the log again is npm run rebuild's, in a process sized for the whole log.
    const report = await rebuildTimelineAlone(this.dataSource, null);
    if (!report) throw conflict('a rebuild is already running; retry when it has finished');
    return report;
  }
}

/**
 * A browser lets any site POST a form or a "simple" request (text/plain, no preflight) to a local
 * port. Requiring a JSON content type forces a CORS preflight, which we never answer, and a browser's
 * own `Sec-Fetch-Site: cross-site` is refused outright. A request with neither a content type nor an
 * `Origin` is not a browser's (browsers send `Origin` with every POST): the bare `POST /v1/admin/rebuild`
 * of INTERFACES.md (`curl -X POST`) is served.
 */
export function refuseCrossSite(request: Pick<Request, 'headers'>): void {
  const { headers } = request;
  if (headers['sec-fetch-site'] === 'cross-site') {
    throw forbidden('a rebuild cannot be requested from another site (Sec-Fetch-Site: cross-site)');
  }
  if (headers['content-type'] === undefined && headers.origin === undefined) return;
  if (!/^application\/json\b/i.test(headers['content-type'] ?? '')) {
    throw unsupportedMediaType('send Content-Type: application/json (the body may be {})');
  }
}
