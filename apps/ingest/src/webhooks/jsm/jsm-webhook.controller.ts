import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { IngestAuthGuard } from '../../auth/ingest-auth.guard.js';
import { WebhookIntake } from '../shared/webhook-intake.js';

/** JSM's Webhook integration takes custom headers, like Opsgenie's: it sends the bearer token. */
@Controller('v1/webhooks/jsm')
@UseGuards(IngestAuthGuard)
export class JsmWebhookController {
  constructor(private readonly intake: WebhookIntake) {}

  @Post()
  @HttpCode(202)
  async receive(@Req() request: Request, @Body() body: unknown) {
    return this.intake.receive('jsm', request, body);
  }
}
