import { Body, Controller, HttpCode, Inject, Post, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { IngestAuthGuard } from '../auth/ingest-auth.guard.js';
import { authorizeBearer, invalidRequest } from '@app/platform';
import { INGEST_CONFIG, type IngestConfig } from '../config.js';
import { EventPublisher } from '../publishing/event-publisher.js';
import { accepted } from './accepted.js';
import { requireJson } from './json-body.js';
import { validateEnvelopes } from './validate-envelopes.js';

@Controller('v1/events')
export class EventsController {
  constructor(
    private readonly publisher: EventPublisher,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
  ) {}

  @Post()
  @HttpCode(202)
  @UseGuards(IngestAuthGuard)
  async post(@Req() request: Request, @Body() body: unknown) {
    return this.publish(request, body, 'refused');
  }

  /**
   * Publishes again an envelope of the events topic that the timeline kept aside (`npm run dead-letters --
   * replay ID`). Such an event may carry an id or key ingest derived for a tool (`am-…`, `dedup:…`): ingest
   * took it from the tool's webhook before, so the reservation POST /v1/events enforces against senders
   * (issue 12) would only leave the letter unreplayable. Lifting it is why this wants an operator's
   * ADMIN_TOKENS token (unset: local requests only), never a sender's INGEST_TOKENS one. The timeline
   * stores an event id once, so a second replay changes nothing.
   */
  @Post('replay')
  @HttpCode(202)
  async replay(@Req() request: Request, @Body() body: unknown) {
    authorizeBearer(request, this.config.ADMIN_TOKENS, 'ADMIN_TOKENS');
    return this.publish(request, body, 'allowed');
  }

  private async publish(request: Request, body: unknown, toolIds: 'refused' | 'allowed') {
    requireJson(request);
    const result = validateEnvelopes(body, { toolIds });
    if ('errors' in result) throw invalidRequest(result.errors);
    await this.publisher.publish(result.events);
    return accepted(result.events);
  }
}
