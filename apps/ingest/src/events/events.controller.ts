import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { IngestAuthGuard } from '../auth/ingest-auth.guard.js';
import { invalidRequest } from '@app/platform';
import { EventPublisher } from '../publishing/event-publisher.js';
import { accepted } from './accepted.js';
import { requireJson } from './json-body.js';
import { validateEnvelopes } from './validate-envelopes.js';

@Controller('v1/events')
@UseGuards(IngestAuthGuard)
export class EventsController {
  constructor(private readonly publisher: EventPublisher) {}

  @Post()
  @HttpCode(202)
  async post(@Req() request: Request, @Body() body: unknown) {
    requireJson(request);
    const result = validateEnvelopes(body);
    if ('errors' in result) throw invalidRequest(result.errors);
    await this.publisher.publish(result.events);
    return accepted(result.events);
  }
}
