import { Controller, UseFilters } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { KafkaMessage } from 'kafkajs';
import { KafkaBatchContext, RethrowToTransport, type DeadLetter } from '@app/platform';
import { deadLetterRow } from './dead-letter-row.js';
import { DeadLetterStore } from './dead-letter-store.js';

/** The pattern of the dead-letter topic's handler: the contract's topic name, whatever KAFKA_TOPIC_PREFIX says. */
export const DEAD_LETTERS_PATTERN = 'incident-events.dlq.v1';

/**
 * Stores what arrives on incident-events.dlq.v1 (ingest's kept-aside webhook bodies, the timeline's
 * invalid messages) so it can be listed and replayed. The transport commits offsets after the rows are
 * stored, and storing is idempotent, so nothing kept aside is lost or listed twice.
 */
@Controller()
@UseFilters(RethrowToTransport)
export class DeadLetterIntakeController {
  constructor(private readonly store: DeadLetterStore) {}

  @EventPattern<string>(DEAD_LETTERS_PATTERN)
  async keep(@Payload() messages: KafkaMessage[], @Ctx() context: KafkaBatchContext): Promise<DeadLetter[]> {
    await this.store.store(messages.map((message) => deadLetterRow(message, context.getTopic())));
    return [];
  }
}
