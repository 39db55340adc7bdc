import { Body, Controller, HttpCode, Inject, Post, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { IngestAuthGuard } from '../../auth/ingest-auth.guard.js';
import { INGEST_CONFIG, type IngestConfig } from '../../config.js';
import { requireJson } from '../../events/json-body.js';
import { EventPublisher } from '../../publishing/event-publisher.js';
import { mappingOptions } from '../shared/mapping-options.js';
import { invalidRequest } from '@app/platform';
import { accepted } from '../../events/accepted.js';
import { mapCloudEvents } from './map-cloudevents.js';

/** All three HTTP content modes on one path; binary mode's data must be JSON (`application/json`). */
@Controller('v1/cloudevents')
@UseGuards(IngestAuthGuard)
export class CloudEventsController {
  constructor(
    private readonly publisher: EventPublisher,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
  ) {}

  @Post()
  @HttpCode(202)
  async receive(@Req() request: Request, @Body() body: unknown) {
    requireJson(request);
    // CloudEvents is our own API: its callers can fix a request, so a bad one is a 400 naming the field.
    const mapped = mapCloudEvents({ headers: request.headers, body }, mappingOptions(this.config));
    if ('errors' in mapped) throw invalidRequest(mapped.errors);
    await this.publisher.publish(mapped.events);
    return accepted(mapped.events);
  }
}
