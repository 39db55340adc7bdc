import { Controller, Logger, UseFilters } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { KafkaMessage } from 'kafkajs';
import { describeFailure, KafkaBatchContext, RethrowToTransport, type DeadLetter } from '@app/platform';
import { deadLetterRow, unreadableRow, type DeadLetterRow, type DeadLetterTopic } from './dead-letter-row.js';
import { DeadLetterMetrics } from './dead-letter-metrics.js';
import { DeadLetterStore } from './dead-letter-store.js';
import { keepDeadLetters } from './keep-dead-letters.js';

/** The patterns of the dead-letter topics' handlers: the contract's topic names, whatever KAFKA_TOPIC_PREFIX says. */
export const DEAD_LETTERS_PATTERN = 'incident-events.dlq.v1';
export const RENDERER_DEAD_LETTERS_PATTERN = 'incident-timeline.dlq.v1';

/**
 * Stores what arrives on both dead-letter topics so it can be listed and replayed: incident-events.dlq.v1
 * (ingest's kept-aside webhook bodies, the timeline's refused messages) and incident-timeline.dlq.v1 (the
 * renderer's). The transport commits offsets after the rows are stored, and storing is idempotent, so
 * nothing kept aside is lost or listed twice; no letter can stop its partition (keepDeadLetters).
 */
@Controller()
@UseFilters(RethrowToTransport)
export class DeadLetterIntakeController {
  private readonly logger = new Logger('DeadLetterIntake');

  constructor(
    private readonly store: DeadLetterStore,
    private readonly metrics: DeadLetterMetrics,
  ) {}

  @EventPattern<string>(DEAD_LETTERS_PATTERN)
  async keep(@Payload() messages: KafkaMessage[], @Ctx() context: KafkaBatchContext): Promise<DeadLetter[]> {
    return this.keepFrom(DEAD_LETTERS_PATTERN, messages, context);
  }

  @EventPattern<string>(RENDERER_DEAD_LETTERS_PATTERN)
  async keepRenderers(@Payload() messages: KafkaMessage[], @Ctx() context: KafkaBatchContext): Promise<DeadLetter[]> {
    return this.keepFrom(RENDERER_DEAD_LETTERS_PATTERN, messages, context);
  }

  private async keepFrom(topic: DeadLetterTopic, messages: KafkaMessage[], context: KafkaBatchContext): Promise<DeadLetter[]> {
    const offsets = new Map<DeadLetterRow, string>();
    for (const message of messages) offsets.set(rowOf(message, topic, context.getTopic()), message.offset);
    const place = (row: DeadLetterRow) => `dead letter ${row.id} (${context.getTopic()}/${context.getPartition()}@${offsets.get(row)}, ${row.body.length} bytes)`;
    await keepDeadLetters(
      [...offsets.keys()],
      this.store,
      {
        stripped: (row, failure) => this.logger.warn(`${place(row)} stored without its headers, which PostgreSQL refused: ${failure}`),
        unstorable: (row, failure) => {
          this.metrics.letterLeft(topic);
          this.logger.error(`${place(row)} could not be stored and is left (its partition moves on): ${failure}`);
        },
      },
    );
    // Never a letter of a letter: nothing goes back to a dead-letter topic.
    return [];
  }
}

/** A row for every message, whatever its headers hold: reading them cannot stop the partition either. */
function rowOf(message: KafkaMessage, topic: DeadLetterTopic, topicAsNamed: string): DeadLetterRow {
  try {
    return deadLetterRow(message, topic, topicAsNamed);
  } catch (error) {
    return unreadableRow(message, topic, topicAsNamed, describeFailure(error));
  }
}
