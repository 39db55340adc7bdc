import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable } from '@nestjs/common';
import { Counter, Histogram, type Registry } from 'prom-client';
import { isQuietPath, METRICS_REGISTRY, requestPath, type HttpResponseObserver } from '@app/platform';

/** The write endpoints of INTERFACES.md; any other path is counted as `other` (404s, probes of the wrong URL). */
export const INGEST_ENDPOINTS = [
  '/v1/events',
  '/v1/webhooks/alertmanager',
  '/v1/webhooks/grafana',
  '/v1/webhooks/pagerduty',
  '/v1/webhooks/opsgenie',
  '/v1/cloudevents',
] as const;

/** Distinct `source` label values kept before the rest are counted as `other`: senders choose sources freely. */
const MAX_SOURCES = 50;

/**
 * aftermath_ingest_requests_total{endpoint,status}, aftermath_ingest_events_total{source,outcome},
 * aftermath_ingest_produce_seconds and aftermath_kept_aside_total{source,reason}. Requests are counted as responses finish (createHttpApp mounts this
 * observer ahead of the body parser and the guards), so 401, 413 and invalid JSON are counted too.
 */
@Injectable()
export class IngestMetrics implements HttpResponseObserver {
  private readonly requests: Counter<'endpoint' | 'status'>;
  private readonly events: Counter<'source' | 'outcome'>;
  private readonly produceSeconds: Histogram;
  private readonly keptAside: Counter<'source' | 'reason'>;
  private readonly sources = new Set<string>();

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    const registers = [registry];
    this.requests = new Counter({
      name: 'aftermath_ingest_requests_total',
      help: 'Requests to the write endpoints by endpoint and HTTP status',
      labelNames: ['endpoint', 'status'],
      registers,
    });
    this.events = new Counter({
      name: 'aftermath_ingest_events_total',
      help: 'Events sent to Kafka by envelope source and outcome: accepted (acknowledged) or unavailable (Kafka refused, 503)',
      labelNames: ['source', 'outcome'],
      registers,
    });
    this.keptAside = new Counter({
      name: 'aftermath_kept_aside_total',
      help: 'Tool webhook bodies kept aside (the dead letters GET /v1/dead-letters lists) by tool and reason: invalid (does not map to a valid event) or clock_skew (dated beyond MAX_CLOCK_SKEW_MINUTES); a body with parts of both reasons counts under each',
      labelNames: ['source', 'reason'],
      registers,
    });
    this.produceSeconds = new Histogram({
      name: 'aftermath_ingest_produce_seconds',
      help: 'Time for Kafka to acknowledge one request\'s events (acks from all in-sync replicas)',
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
  }

  observe(req: IncomingMessage & { originalUrl?: string }, res: ServerResponse): void {
    const path = requestPath(req).replace(/\/+$/, '') || '/';
    if (isQuietPath(path) || path === '/openapi.json') return;
    const endpoint = (INGEST_ENDPOINTS as readonly string[]).includes(path) ? path : 'other';
    this.requests.inc({ endpoint, status: String(res.statusCode) });
  }

  /** Records one produce call: its duration and its events, by source. */
  recordProduce(events: readonly { source: string }[], seconds: number, outcome: 'accepted' | 'unavailable'): void {
    this.produceSeconds.observe(seconds);
    const bySource = new Map<string, number>();
    for (const { source } of events) {
      const label = this.sourceLabel(source);
      bySource.set(label, (bySource.get(label) ?? 0) + 1);
    }
    for (const [source, count] of bySource) this.events.inc({ source, outcome }, count);
  }

  /** One body kept aside (acknowledged by Kafka), once per reason its parts give. */
  recordKeptAside(source: string, parts: readonly { kind?: string }[]): void {
    for (const reason of new Set(parts.map((part) => part.kind ?? 'invalid'))) this.keptAside.inc({ source, reason });
  }

  private sourceLabel(source: string): string {
    if (this.sources.has(source)) return source;
    if (this.sources.size >= MAX_SOURCES) return 'other';
    this.sources.add(source);
    return source;
  }
}
