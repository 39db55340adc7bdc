import { Inject, Injectable, Logger, Optional, type OnApplicationShutdown } from '@nestjs/common';
import type { Kafka, Producer } from 'kafkajs';
import type { IncidentEvent } from '@app/domain';
import { ServiceUnavailableError, type Topics } from '@app/platform';
import { IngestMetrics } from '../metrics/ingest-metrics.js';

export const KAFKA = Symbol('KAFKA');
export const TOPICS = Symbol('TOPICS');


/**
 * Produces events to `incident-events.v1`, keyed by service. `publish` resolves only after every
 * in-sync replica acknowledged them (acks=-1); the idempotent producer keeps retries from duplicating.
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
        messages: events.map((event) => ({ key: event.service, value: JSON.stringify(event) })),
      });
      this.metrics?.recordProduce(events, (performance.now() - started) / 1000, 'accepted');
    } catch (error) {
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
