import { Body, Controller, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { notFound } from '@app/platform';
import { IngestAuthGuard } from '../../auth/ingest-auth.guard.js';
import { WebhookIntake } from '../shared/webhook-intake.js';
import { isWebhookSource, WEBHOOK_MAPPERS } from '../webhook-mappers.js';

/**
 * Re-runs a tool's mapping, with the configuration of now, on a body kept aside earlier
 * (`npm run dead-letters -- replay ID`). Bearer token only: the body's own signature (PagerDuty, Grafana)
 * was checked when it first arrived, and a token holder may post any event to /v1/events anyway.
 * What maps now is published (events already published before are re-sent under their ids: no change);
 * what still does not is kept aside again under the same dead-letter id.
 */
@Controller('v1/webhooks/replay')
@UseGuards(IngestAuthGuard)
export class WebhookReplayController {
  constructor(private readonly intake: WebhookIntake) {}

  @Post(':source')
  @HttpCode(202)
  async replay(@Param('source') source: string, @Req() request: Request, @Body() body: unknown) {
    if (!isWebhookSource(source)) throw notFound(`no webhook ${source}; one of ${Object.keys(WEBHOOK_MAPPERS).join(', ')}`);
    return this.intake.receive(source, request, body);
  }
}
