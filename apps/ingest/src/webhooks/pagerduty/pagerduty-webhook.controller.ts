import { Body, Controller, HttpCode, Inject, Post, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { INGEST_CONFIG, type IngestConfig } from '../../config.js';
import { requireJson } from '../../events/json-body.js';
import { EventPublisher } from '../../publishing/event-publisher.js';
import { mappingOptions } from '../shared/mapping-options.js';
import { publishMapped } from '../shared/publish-mapped.js';
import { mapPagerDuty } from './map-pagerduty.js';
import { PagerDutyAuthGuard } from './pagerduty-auth.guard.js';

@Controller('v1/webhooks/pagerduty')
@UseGuards(PagerDutyAuthGuard)
export class PagerDutyWebhookController {
  constructor(
    private readonly publisher: EventPublisher,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
  ) {}

  @Post()
  @HttpCode(202)
  async receive(@Req() request: Request, @Body() body: unknown) {
    requireJson(request);
    return publishMapped(this.publisher, mapPagerDuty(body, mappingOptions(this.config)));
  }
}
