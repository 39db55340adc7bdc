import { Inject, Injectable, Logger, Optional, type OnApplicationShutdown } from '@nestjs/common';
import { CompressionTypes, type Kafka, type Producer } from 'kafkajs';
import type { IncidentEvent } from '@app/domain';
import { ProblemException, ServiceUnavailableError, type Topics } from '@app/platform';
import { IngestMetrics } from '../metrics/ingest-metrics.js';

export const KAFKA = Symbol('KAFKA');
export const TOPICS = Symbol('TOPICS');

/** Kafka refusals that no retry can cure: the request's events exceed the broker's message size. */
const TOO_LARGE = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE']);

/** kafkajs wraps protocol errors (retries exhausted, non-retriable), so the whole `cause` chain is looked at. */
function tooLargeForKafka(error: unknown): boolean {
  let current = error as { type?: unknown; cause?: unknown } | null | undefined;
  for (let depth = 0; current && depth < 5; depth++) {
    if (typeof current.type === 'string' && TOO_LARGE.has(current.type)) return true;
    current = current.cause as typeof current;
  }
  return false;
}

/**
 * Produces events to `incident-events.v1`, keyed by service. `publish` resolves only after every
 * in-sync replica acknowledged them (acks=-1); the idempotent producer keeps retries from duplicating.
 * Batches are gzip-compressed: a 1 MiB request of JSON events (one partition's batch) would otherwise
 * exceed the broker's default message.max.bytes, and what still does is a 413, not a 503 to retry forever.
 */
@Injectable()
export class EventPublisher implements OnApplicationShutdown {
  private readonly logger = new Logger(EventPublisher.name);
  private readonly producer: Producer;
  private connecting: Promise<void> | null = null;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(TOPICS) private readonly topics: Topics,
    @Optional() @Inject(IngestMetrics) private readonly metrics?: IngestMetrics,
  ) {
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 5, retry: { retries: 5, initialRetryTime: 100 } });
  }

  async connect(): Promise<void> {
    this.connecting ??= this.producer.connect().catch((error) => {
      this.connecting = null;
      throw error;
    });
    await this.connecting;
  }

  async publish(events: IncidentEvent[]): Promise<void> {
    if (events.length === 0) return;
    const started = performance.now();
    try {
      await this.connect();
      await this.producer.send({
        topic: this.topics.events,
        acks: -1,
        timeout: 10_000,
        compression: CompressionTypes.GZIP,
        messages: events.map((event) => ({ key: event.service, value: JSON.stringify(event) })),
      });
      this.metrics?.recordProduce(events, (performance.now() - started) / 1000, 'accepted');
    } catch (error) {
      if (tooLargeForKafka(error)) {
        throw new ProblemException(413, 'Content Too Large', `the events are larger than Kafka accepts (${(error as Error).message}); send fewer or smaller events per request`);
      }
      this.metrics?.recordProduce(events, (performance.now() - started) / 1000, 'unavailable');
      this.logger.warn(`Kafka did not take ${events.length} event(s): ${(error as Error).message}`);
      throw new ServiceUnavailableError(`Kafka cannot take the events now; retry later (${(error as Error).message})`);
    }
  }

  /** Sends are awaited by their requests, so disconnecting after Nest closed the HTTP server flushes everything acknowledged. */
  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect().catch(() => undefined);
  }
}
