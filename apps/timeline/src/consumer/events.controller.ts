import { Controller, UseFilters } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { KafkaMessage } from 'kafkajs';
import { KafkaBatchContext, RethrowToTransport, type DeadLetter } from '@app/platform';
import { BatchProcessor } from './batch-processor.js';
import { CoalescingProcessor } from './coalescing-processor.js';
import { decodeMessages } from './decode-messages.js';
import { OutboxRelay } from '../outbox/outbox-relay.js';
import { TimelineMetrics } from '../metrics/timeline-metrics.js';

/** The pattern of `incident-events.v1`'s handler: the contract's topic name, whatever KAFKA_TOPIC_PREFIX says. */
export const EVENTS_PATTERN = 'incident-events.v1';

/** Events per transaction at most (bench/e2e.mjs: the timeline's peak memory, for the same throughput). */
const MAX_EVENTS_PER_TRANSACTION = 3_000;

/**
 * Stores the events of `incident-events.v1`, batch by batch (KafkaBatchTransport): valid events go through
 * one transaction that correlates, appends, projects and writes the outbox (the batches of partitions that
 * arrive together share it); messages that are not valid events are returned as dead letters.
 */
@Controller()
@UseFilters(RethrowToTransport)
export class EventsController {
  private readonly coalescer: CoalescingProcessor;

  constructor(processor: BatchProcessor, outbox: OutboxRelay, metrics: TimelineMetrics) {
    this.coalescer = new CoalescingProcessor(
      (events) => processor.process(events),
      (report, events, elapsedMs) => {
        metrics.recordTransaction(report, events, elapsedMs);
        if (report.attached > 0) outbox.wake();
      },
      MAX_EVENTS_PER_TRANSACTION,
    );
  }

  @EventPattern<string>(EVENTS_PATTERN)
  async store(@Payload() messages: KafkaMessage[], @Ctx() context: KafkaBatchContext): Promise<DeadLetter[]> {
    const { events, deadLetters } = decodeMessages(context.getPartition(), messages);
    if (events.length > 0) await this.coalescer.submit(events);
    return deadLetters;
  }
}
