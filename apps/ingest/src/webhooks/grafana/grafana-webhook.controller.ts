import { Body, Controller, HttpCode, Inject, Post, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { IngestAuthGuard } from '../../auth/ingest-auth.guard.js';
import { INGEST_CONFIG, type IngestConfig } from '../../config.js';
import { requireJson } from '../../events/json-body.js';
import { EventPublisher } from '../../publishing/event-publisher.js';
import { mappingOptions } from '../shared/mapping-options.js';
import { publishMapped } from '../shared/publish-mapped.js';
import { GrafanaSignatureGuard } from './grafana-signature.guard.js';
import { mapGrafana } from './map-grafana.js';

/** Grafana can send an Authorization header and an HMAC, so both are checked (the HMAC when configured). */
@Controller('v1/webhooks/grafana')
@UseGuards(IngestAuthGuard, GrafanaSignatureGuard)
export class GrafanaWebhookController {
  constructor(
    private readonly publisher: EventPublisher,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
  ) {}

  @Post()
  @HttpCode(202)
  async receive(@Req() request: Request, @Body() body: unknown) {
    requireJson(request);
    return publishMapped(this.publisher, mapGrafana(body, mappingOptions(this.config)));
  }
}
