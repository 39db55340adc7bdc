import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { WebhookIntake } from '../shared/webhook-intake.js';
import { PagerDutyAuthGuard } from './pagerduty-auth.guard.js';

@Controller('v1/webhooks/pagerduty')
@UseGuards(PagerDutyAuthGuard)
export class PagerDutyWebhookController {
  constructor(private readonly intake: WebhookIntake) {}

  @Post()
  @HttpCode(202)
  async receive(@Req() request: Request, @Body() body: unknown) {
    return this.intake.receive('pagerduty', request, body);
  }
}
