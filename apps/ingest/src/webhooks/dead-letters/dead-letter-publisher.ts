import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Kafka, Producer } from 'kafkajs';
import { KAFKA, messageOf, serviceUnavailable, TOPICS, type Topics } from '@app/platform';
import { IngestMetrics } from '../../metrics/ingest-metrics.js';
import type { KeptAside } from '../shared/event-drafts.js';
import { deadLetterId } from './dead-letter-id.js';

/** Header names of a kept-aside webhook body on `incident-events.dlq.v1` (the timeline stores them). */
export const DEAD_LETTER_HEADERS = {
  id: 'aftermath-dead-letter-id',
  kind: 'aftermath-kind',
  source: 'aftermath-webhook',
  error: 'aftermath-error',
  fields: 'aftermath-error-fields',
  parts: 'aftermath-kept-aside',
  receivedAt: 'aftermath-received-at',
} as const;

/**
 * Keeps aside the webhook bodies that authenticated but could not be (wholly) mapped: the original bytes
 * go to the dead-letter topic, acknowledged by every in-sync replica before the sender hears 202, with
 * headers naming the webhook and why. `dead-letters replay` re-submits them after a fix.
 */
@Injectable()
export class DeadLetterPublisher implements OnApplicationShutdown {
  private readonly logger = new Logger(DeadLetterPublisher.name);
  private readonly producer: Producer;
  private connecting: Promise<void> | null = null;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(TOPICS) private readonly topics: Topics,
    private readonly metrics: IngestMetrics,
  ) {
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, retry: { retries: 5, initialRetryTime: 100 } });
  }

  /** Publishes the body with its reasons; answers the dead letter's id. */
  async keepAside(source: string, body: Buffer, parts: readonly KeptAside[]): Promise<string> {
    const id = deadLetterId(source, body);
    const reason = parts.map((part) => (part.at ? `${part.at}: ${part.reason}` : part.reason)).join(' | ');
    try {
      this.connecting ??= this.producer.connect().catch((error) => {
        this.connecting = null;
        throw error;
      });
      await this.connecting;
      await this.producer.send({
        topic: this.topics.deadLetters,
        acks: -1,
        timeout: 10_000,
        messages: [
          {
            key: source,
            value: body,
            headers: {
              [DEAD_LETTER_HEADERS.id]: id,
              [DEAD_LETTER_HEADERS.kind]: 'webhook',
              [DEAD_LETTER_HEADERS.source]: source,
              [DEAD_LETTER_HEADERS.error]: reason.slice(0, 4000),
              [DEAD_LETTER_HEADERS.fields]: parts.flatMap((part) => part.errors.map((issue) => issue.path)).join(','),
              [DEAD_LETTER_HEADERS.parts]: JSON.stringify(parts.map((part) => ({ at: part.at, reason: part.reason.slice(0, 1000) }))).slice(0, 16_000),
              [DEAD_LETTER_HEADERS.receivedAt]: new Date().toISOString(),
            },
          },
        ],
      });
    } catch (error) {
      this.logger.warn(`Kafka did not take the kept-aside ${source} body ${id}: ${messageOf(error)}`);
      throw serviceUnavailable(`Kafka cannot keep the unmappable parts aside now; retry later (${messageOf(error)})`, error);
    }
    this.metrics.recordKeptAside(source, parts);
    return id;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect().catch(() => undefined);
  }
}
