import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { invalidRequest } from '@app/platform';
import { AdminAuthGuard } from '../auth/admin-auth.guard.js';
import { IngestAuthGuard } from '../auth/ingest-auth.guard.js';
import { EventPublisher } from '../publishing/event-publisher.js';
import { StoredLetters } from '../webhooks/dead-letters/stored-letter.js';
import { accepted } from './accepted.js';
import { requireJson } from './json-body.js';
import { validateEnvelopes } from './validate-envelopes.js';

@Controller('v1/events')
export class EventsController {
  constructor(
    private readonly publisher: EventPublisher,
    private readonly letters: StoredLetters,
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
   * ADMIN_TOKENS token (unset: local requests only), never a sender's INGEST_TOKENS one, and takes only the
   * bytes of an event dead letter the timeline stored, named by its id (`aftermath-dead-letter-id`). The
   * timeline stores an event id once, so a second replay changes nothing.
   */
  @Post('replay')
  @HttpCode(202)
  @UseGuards(AdminAuthGuard)
  async replay(@Req() request: Request, @Body() body: unknown) {
    requireJson(request);
    await this.letters.confirm(request, 'event');
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
