import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { IngestAuthGuard } from '../../auth/ingest-auth.guard.js';
import { WebhookIntake } from '../shared/webhook-intake.js';

/** Opsgenie's webhook integration can add custom headers, so it sends the bearer token like any client. */
@Controller('v1/webhooks/opsgenie')
@UseGuards(IngestAuthGuard)
export class OpsgenieWebhookController {
  constructor(private readonly intake: WebhookIntake) {}

  @Post()
  @HttpCode(202)
  async receive(@Req() request: Request, @Body() body: unknown) {
    return this.intake.receive('opsgenie', request, body);
  }
}
