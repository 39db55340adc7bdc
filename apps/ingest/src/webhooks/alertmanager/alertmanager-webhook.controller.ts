import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { IngestAuthGuard } from '../../auth/ingest-auth.guard.js';
import { WebhookIntake } from '../shared/webhook-intake.js';

@Controller('v1/webhooks/alertmanager')
@UseGuards(IngestAuthGuard)
export class AlertmanagerWebhookController {
  constructor(private readonly intake: WebhookIntake) {}

  @Post()
  @HttpCode(202)
  async receive(@Req() request: Request, @Body() body: unknown) {
    return this.intake.receive('alertmanager', request, body);
  }
}
