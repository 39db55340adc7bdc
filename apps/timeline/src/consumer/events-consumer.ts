import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Batch, Consumer, Kafka, Producer } from 'kafkajs';
import { KAFKA, KeyHashPartitioner, runBatchConsumer, TOPICS, type Topics } from '@app/platform';
import { TIMELINE_CONFIG, type TimelineConfig } from '../config.js';
import { BatchProcessor } from './batch-processor.js';
import { CoalescingProcessor } from './coalescing-processor.js';
import { publishDeadLetters } from './dead-letter-publisher.js';
import { decodeMessages } from './decode-messages.js';
import { OutboxRelay } from '../outbox/outbox-relay.js';
import { TimelineMetrics } from '../metrics/timeline-metrics.js';

/**
 * Consumes `incident-events.v1` in batches. Offsets are committed only after the batch's database
 * transaction committed, so a crash anywhere re-delivers the batch, and the event store makes that a no-op.
 */
/** Every partition this instance owns can have a batch waiting for the next group commit. */
const PARTITIONS_CONCURRENTLY = 6;
/** Events per transaction at most (bench/e2e.mjs: the timeline's peak memory, for the same throughput). */
const MAX_EVENTS_PER_TRANSACTION = 3_000;

@Injectable()
export class EventsConsumer {
  private readonly logger = new Logger('TimelineConsumer');
  private readonly consumer: Consumer;
  private readonly deadLetterProducer: Producer;
  private readonly coalescer: CoalescingProcessor;
  private readonly deadLettersSent = new WeakSet<Batch>();

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(TOPICS) private readonly topics: Topics,
    @Inject(TIMELINE_CONFIG) config: TimelineConfig,
    processor: BatchProcessor,
    outbox: OutboxRelay,
    private readonly metrics: TimelineMetrics,
  ) {
    this.consumer = kafka.consumer({
      groupId: config.TIMELINE_CONSUMER_GROUP,
      // A crashed instance's partitions wait this long for a new owner; heartbeats continue during retries.
      sessionTimeout: 15_000,
      heartbeatInterval: 3_000,
      // About a thousand events per partition batch: big enough to amortise a transaction, small enough to keep memory low.
      maxBytesPerPartition: 512 * 1024,
      maxWaitTimeInMs: 100,
    });
    this.deadLetterProducer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: KeyHashPartitioner });
    this.coalescer = new CoalescingProcessor(
      (events) => processor.process(events),
      (report, events, elapsedMs) => {
        metrics.recordTransaction(report, events, elapsedMs);
        if (report.attached > 0) outbox.wake();
      },
      MAX_EVENTS_PER_TRANSACTION,
    );
  }

  async start(): Promise<void> {
    await this.deadLetterProducer.connect();
    await this.consumer.connect();
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => this.metrics.forgetLag());
    await runBatchConsumer(this.consumer, {
      topic: this.topics.events,
      partitionsConcurrently: PARTITIONS_CONCURRENTLY,
      handle: (batch) => this.handle(batch),
      onRetry: (batch, attempt, error, delayMs) => {
        this.metrics.batchRetries.inc();
        this.logger.warn(`batch of partition ${batch.partition} failed (attempt ${attempt}), retrying in ${delayMs} ms: ${(error as Error).message}`);
      },
      onAbandoned: (reason) => this.logger.warn(reason),
    });
  }

  private async handle(batch: Batch): Promise<void> {
    const { events, deadLetters } = decodeMessages(batch.partition, batch.messages);
    // A batch retried after a database failure must not send its dead letters again on every attempt.
    if (!this.deadLettersSent.has(batch)) {
      await publishDeadLetters(this.deadLetterProducer, this.topics.deadLetters, batch.topic, batch.partition, deadLetters);
      this.deadLettersSent.add(batch);
    }
    await this.coalescer.submit(events);
    this.metrics.recordBatch(batch.partition, deadLetters.length, batch.offsetLag());
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect().catch(() => undefined);
    await this.deadLetterProducer.disconnect().catch(() => undefined);
  }
}
