import { Inject, Injectable } from '@nestjs/common';
import type { IncidentEvent } from '@app/domain';
import { WEB_CONFIG, type WebConfig } from '../config.js';
import { callUpstream } from './upstream.js';

/** Appends events through ingest, like every other producer (POST /v1/events). */
@Injectable()
export class IngestApi {
  constructor(@Inject(WEB_CONFIG) private readonly config: WebConfig) {}

  async append(event: IncidentEvent): Promise<void> {
    await callUpstream('ingest', `${this.config.INGEST_URL}/v1/events`, this.config.WEB_INGEST_TOKEN, { method: 'POST', body: event });
  }

  async live(): Promise<void> {
    await callUpstream('ingest', `${this.config.INGEST_URL}/health/live`, undefined);
  }
}
