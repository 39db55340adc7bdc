import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { INGEST_CONFIG, type IngestConfig } from '../../config.js';
import { requireJson } from '../../events/json-body.js';
import { EventPublisher } from '../../publishing/event-publisher.js';
import { DeadLetterPublisher } from '../dead-letters/dead-letter-publisher.js';
import { WEBHOOK_MAPPERS, type WebhookSource } from '../webhook-mappers.js';
import { mappingOptions } from './mapping-options.js';
import { publishMapped, type WebhookAnswer } from './publish-mapped.js';

/** What every tool webhook does once authenticated: map with the current configuration, publish, keep the rest aside. */
@Injectable()
export class WebhookIntake {
  constructor(
    private readonly events: EventPublisher,
    private readonly deadLetters: DeadLetterPublisher,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
  ) {}

  async receive(source: WebhookSource, request: Request, body: unknown): Promise<WebhookAnswer> {
    requireJson(request);
    const mapped = WEBHOOK_MAPPERS[source](body, mappingOptions(this.config));
    return publishMapped({ events: this.events, deadLetters: this.deadLetters }, source, request, body, mapped);
  }
}
