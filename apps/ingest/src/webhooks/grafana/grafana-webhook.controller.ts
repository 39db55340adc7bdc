import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { IngestAuthGuard } from '../../auth/ingest-auth.guard.js';
import { WebhookIntake } from '../shared/webhook-intake.js';
import { GrafanaSignatureGuard } from './grafana-signature.guard.js';

/** Grafana can send an Authorization header and an HMAC, so both are checked (the HMAC when configured). */
@Controller('v1/webhooks/grafana')
@UseGuards(IngestAuthGuard, GrafanaSignatureGuard)
export class GrafanaWebhookController {
  constructor(private readonly intake: WebhookIntake) {}

  @Post()
  @HttpCode(202)
  async receive(@Req() request: Request, @Body() body: unknown) {
    return this.intake.receive('grafana', request, body);
  }
}
