import { Inject, Injectable } from '@nestjs/common';
import type { IncidentEvent, IncidentState } from '@app/domain';
import { WEB_CONFIG, type WebConfig } from '../config.js';
import { callUpstream } from './upstream.js';

export interface IncidentPage {
  items: IncidentState[];
  nextCursor: string | null;
}

/** The stored event as the timeline serves it: the envelope (and, where the timeline adds them, more fields). */
export type TimelineEvent = IncidentEvent & { retracted?: boolean };

/** Read side of the timeline service (GET /v1/incidents...). */
@Injectable()
export class TimelineApi {
  constructor(@Inject(WEB_CONFIG) private readonly config: WebConfig) {}

  private async get<T>(path: string): Promise<T> {
    const response = await callUpstream('timeline', `${this.config.TIMELINE_URL}${path}`, this.config.WEB_READ_TOKEN);
    return (await response.json()) as T;
  }

  incidents(query: { status?: 'open' | 'resolved'; service?: string; limit: number; cursor?: string }): Promise<IncidentPage> {
    const params = new URLSearchParams({ limit: String(query.limit) });
    if (query.status) params.set('status', query.status);
    if (query.service) params.set('service', query.service);
    if (query.cursor) params.set('cursor', query.cursor);
    return this.get(`/v1/incidents?${params}`);
  }

  incident(ref: string): Promise<IncidentState> {
    return this.get(`/v1/incidents/${encodeURIComponent(ref)}`);
  }

  /** The whole log: the timeline serves it a page at a time, so an incident of any size is read in pages of 5000. */
  async events(ref: string): Promise<TimelineEvent[]> {
    const events: TimelineEvent[] = [];
    let cursor: string | null = null;
    do {
      const params = new URLSearchParams({ limit: '5000', ...(cursor ? { cursor } : {}) });
      const page: { events: TimelineEvent[]; nextCursor?: string | null } = await this.get(`/v1/incidents/${encodeURIComponent(ref)}/events?${params}`);
      events.push(...page.events);
      cursor = page.nextCursor ?? null;
    } while (cursor);
    return events;
  }

  async unattached(limit: number): Promise<TimelineEvent[]> {
    return (await this.get<{ items: TimelineEvent[] }>(`/v1/unattached-events?limit=${limit}`)).items;
  }

  /** GET /v1/analytics/incidents (INTERFACES.md, December additions); read by analytics/analytics-data.ts. */
  analytics(groupBy: 'service' | 'month' | 'severity' | 'team', range: { from?: string; to?: string }): Promise<unknown> {
    const params = new URLSearchParams({ groupBy });
    if (range.from) params.set('from', range.from);
    if (range.to) params.set('to', range.to);
    return this.get(`/v1/analytics/incidents?${params}`);
  }

  /**
   * Readiness of the workspace: a read the pages make, so a timeline that is up but refuses the
   * workspace's token (WEB_READ_TOKEN) is not ready either.
   */
  async ready(): Promise<void> {
    await this.get('/v1/incidents?limit=1');
  }
}
