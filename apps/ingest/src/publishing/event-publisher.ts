import { Inject, Injectable, Logger, Optional, type OnApplicationShutdown } from '@nestjs/common';
import { CompressionTypes, type Kafka, type Producer } from 'kafkajs';
import { tooFarAhead, type IncidentEvent } from '@app/domain';
import { contentTooLarge, invalidRequest, KAFKA, KeyHashPartitioner, messageOf, serviceUnavailable, TOPICS, type Topics } from '@app/platform';
import { INGEST_CONFIG, type IngestConfig } from '../config.js';
import { IngestMetrics } from '../metrics/ingest-metrics.js';

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

/** Events of concurrent requests combined into one Kafka request, at most (a request carries up to 1000). */
const MAX_EVENTS_PER_SEND = 1000;

interface Waiting {
  events: IncidentEvent[];
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Produces events to `incident-events.v1`, keyed by service. `publish` resolves only after every
 * in-sync replica acknowledged them (acks=-1); the idempotent producer keeps retries from duplicating.
 * Batches are gzip-compressed: a 1 MiB request of JSON events (one partition's batch) would otherwise
 * exceed the broker's default message.max.bytes, and what still does is a 413, not a 503 to retry forever.
 *
 * kafkajs's idempotent producer holds a per-broker lock for the whole round trip of a send, so
 * concurrent sends queue one behind another (maxInFlightRequests does not apply). Requests that arrive
 * while a send is in flight therefore wait here instead and leave together in the next send (group
 * commit, bench/ingest.mjs): no added delay for a lone request, one round trip for many under load.
 */
@Injectable()
export class EventPublisher implements OnApplicationShutdown {
  private readonly logger = new Logger(EventPublisher.name);
  private readonly producer: Producer;
  private connecting: Promise<void> | null = null;
  private readonly waiting: Waiting[] = [];
  private sending = false;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(TOPICS) private readonly topics: Topics,
    @Optional() @Inject(IngestMetrics) private readonly metrics?: IngestMetrics,
    @Optional() @Inject(INGEST_CONFIG) private readonly config?: Pick<IngestConfig, 'MAX_CLOCK_SKEW_MINUTES'>,
  ) {
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 5, retry: { retries: 5, initialRetryTime: 100 }, createPartitioner: KeyHashPartitioner });
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
    this.refuseFarFuture(events);
    const started = performance.now();
    try {
      await this.connect();
      await this.enqueue(events);
      this.metrics?.recordProduce(events, (performance.now() - started) / 1000, 'accepted');
    } catch (error) {
      const reason = messageOf(error);
      if (tooLargeForKafka(error)) throw contentTooLarge(`the events are larger than Kafka accepts (${reason}); send fewer or smaller events per request`);
      this.metrics?.recordProduce(events, (performance.now() - started) / 1000, 'unavailable');
      this.logger.warn(`Kafka did not take ${events.length} event(s): ${reason}`);
      throw serviceUnavailable(`Kafka cannot take the events now; retry later (${reason})`, error);
    }
  }

  /**
   * Every route (events, webhooks, CloudEvents, Slack) publishes here, so this is where receipt time is
   * known: an event dated more than MAX_CLOCK_SKEW_MINUTES after it would open or stretch incidents into
   * the future (a wrong clock, a typo in the year), so the request is a 400 naming the field. Webhooks
   * keep such events aside first (datedTooFarAhead), as they do every part they cannot take.
   */
  private refuseFarFuture(events: IncidentEvent[]): void {
    const issues = this.datedTooFarAhead(events).map(({ index, message }) => ({ path: events.length > 1 ? `[${index}].occurredAt` : 'occurredAt', message }));
    if (issues.length > 0) throw invalidRequest(issues);
  }

  /** The events dated more than MAX_CLOCK_SKEW_MINUTES after now, each with its index and why. */
  datedTooFarAhead(events: readonly IncidentEvent[]): { index: number; message: string }[] {
    const minutes = this.config?.MAX_CLOCK_SKEW_MINUTES;
    if (minutes === undefined) return [];
    const receivedAt = Date.now();
    return events.flatMap((event, index) =>
      tooFarAhead(event.occurredAt, receivedAt, minutes * 60_000)
        ? [{ index, message: `event ${event.id} is dated more than ${minutes} minutes after its receipt (${new Date(receivedAt).toISOString()}); MAX_CLOCK_SKEW_MINUTES` }]
        : [],
    );
  }

  private enqueue(events: IncidentEvent[]): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ events, resolve, reject });
      if (!this.sending) void this.drain();
    });
  }

  /** Sends what waits, a group at a time, until nothing does. */
  private async drain(): Promise<void> {
    this.sending = true;
    try {
      while (this.waiting.length > 0) {
        const group = [this.waiting.shift()!];
        let count = group[0]!.events.length;
        while (this.waiting.length > 0 && count + this.waiting[0]!.events.length <= MAX_EVENTS_PER_SEND) {
          const next = this.waiting.shift()!;
          count += next.events.length;
          group.push(next);
        }
        await this.sendGroup(group);
      }
    } finally {
      this.sending = false;
    }
  }

  private async sendGroup(group: Waiting[]): Promise<void> {
    try {
      await this.send(group.length === 1 ? group[0]!.events : group.flatMap((request) => request.events));
      for (const request of group) request.resolve();
    } catch (error) {
      if (tooLargeForKafka(error)) {
        // Too large, perhaps only together: each request on its own, so one request's size never fails another's.
        if (group.length === 1) group[0]!.reject(error);
        else for (const request of group) await this.send(request.events).then(request.resolve, request.reject);
        return;
      }
      for (const request of group) request.reject(error);
      // Whoever queued behind a failed send would meet the same broker trouble, after waiting for it:
      // answer them now (503, retry later) rather than let their wait add up past a sender's timeout.
      for (const request of this.waiting.splice(0)) request.reject(error);
    }
  }

  private async send(events: IncidentEvent[]): Promise<void> {
    await this.producer.send({
      topic: this.topics.events,
      acks: -1,
      timeout: 10_000,
      compression: CompressionTypes.GZIP,
      messages: events.map((event) => ({ key: event.service, value: JSON.stringify(event) })),
    });
  }

  /** Sends are awaited by their requests, so disconnecting after Nest closed the HTTP server flushes everything acknowledged. */
  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect().catch(() => undefined);
  }
}
