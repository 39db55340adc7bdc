import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Consumer, Kafka, Producer } from 'kafkajs';
import type { Topics } from '@app/platform';
import { TIMELINE_CONFIG, type TimelineConfig } from '../config.js';
import { KAFKA, TOPICS } from '../tokens.js';
import { BatchProcessor } from './batch-processor.js';
import { publishDeadLetters } from './dead-letter-publisher.js';
import { decodeMessages } from './decode-messages.js';
import { BatchAbandoned, retryUntilDone } from './retry-until-done.js';
import { OutboxRelay } from '../outbox/outbox-relay.js';
import { TimelineMetrics } from '../metrics/timeline-metrics.js';

/**
 * Consumes `incident-events.v1` in batches. Offsets are committed only after the batch's database
 * transaction committed, so a crash anywhere re-delivers the batch, and the event store makes that a no-op.
 */
@Injectable()
export class EventsConsumer {
  private readonly logger = new Logger('TimelineConsumer');
  private readonly consumer: Consumer;
  private readonly deadLetterProducer: Producer;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(TOPICS) private readonly topics: Topics,
    @Inject(TIMELINE_CONFIG) config: TimelineConfig,
    private readonly processor: BatchProcessor,
    private readonly outbox: OutboxRelay,
    private readonly metrics: TimelineMetrics,
  ) {
    this.consumer = kafka.consumer({
      groupId: config.TIMELINE_CONSUMER_GROUP,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      maxBytesPerPartition: 2 * 1024 * 1024,
      maxWaitTimeInMs: 100,
    });
    this.deadLetterProducer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  }

  async start(): Promise<void> {
    await this.deadLetterProducer.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topics.events, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        if (batch.messages.length === 0) return;
        const started = performance.now();
        const { events, deadLetters } = decodeMessages(batch.partition, batch.messages);
        const control = {
          isRunning,
          isStale,
          heartbeat,
          onRetry: (attempt: number, error: unknown, delayMs: number) => {
            this.metrics.batchRetries.inc();
            this.logger.warn(`batch of partition ${batch.partition} failed (attempt ${attempt}), retrying in ${delayMs} ms: ${(error as Error).message}`);
          },
        };
        try {
          await retryUntilDone(
            () => publishDeadLetters(this.deadLetterProducer, this.topics.deadLetters, batch.topic, batch.partition, deadLetters),
            control,
          );
          const report = await retryUntilDone(() => this.processor.process(events), control);
          resolveOffset(batch.lastOffset());
          const next = (BigInt(batch.lastOffset()) + 1n).toString();
          await this.consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }]);
          this.metrics.recordBatch(batch.partition, batch.messages.length, report, deadLetters.length, performance.now() - started, batch.offsetLag());
          if (report.attached > 0) this.outbox.wake();
        } catch (error) {
          if (error instanceof BatchAbandoned) {
            this.logger.warn(error.message);
            return;
          }
          throw error;
        }
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect().catch(() => undefined);
    await this.deadLetterProducer.disconnect().catch(() => undefined);
  }
}
