import { Body, Controller, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { notFound } from '@app/platform';
import { AdminAuthGuard } from '../../auth/admin-auth.guard.js';
import { requireJson } from '../../events/json-body.js';
import { WebhookIntake } from '../shared/webhook-intake.js';
import { isWebhookSource, WEBHOOK_MAPPERS } from '../webhook-mappers.js';
import { StoredLetters } from './stored-letter.js';

/**
 * Re-runs a tool's mapping, with the configuration of now, on a body kept aside earlier
 * (`npm run dead-letters -- replay ID`). The body's own signature (PagerDuty, Grafana) was checked when it
 * first arrived, and its events take the ids reserved for the tool: so this takes only a body the timeline
 * stored as kept aside from that tool, named by its dead-letter id, and an operator's ADMIN_TOKENS token
 * (a sender's INGEST_TOKENS token could otherwise speak for any tool). What maps now is published (events
 * already published before are re-sent under their ids: no change); what still does not is kept aside
 * again under the same dead-letter id.
 */
@Controller('v1/webhooks/replay')
@UseGuards(AdminAuthGuard)
export class WebhookReplayController {
  constructor(
    private readonly intake: WebhookIntake,
    private readonly letters: StoredLetters,
  ) {}

  @Post(':source')
  @HttpCode(202)
  async replay(@Param('source') source: string, @Req() request: Request, @Body() body: unknown) {
    if (!isWebhookSource(source)) throw notFound(`no webhook ${source}; one of ${Object.keys(WEBHOOK_MAPPERS).join(', ')}`);
    requireJson(request);
    await this.letters.confirm(request, { webhook: source });
    return this.intake.receive(source, request, body);
  }
}
