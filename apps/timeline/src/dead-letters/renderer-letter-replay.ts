import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { CompressionTypes, type IHeaders, type Kafka, type Producer } from 'kafkajs';
import { conflict, KAFKA, KeyHashPartitioner, TOPICS, type Topics } from '@app/platform';
import type { StoredMessage } from './dead-letter-store.js';

/** Headers the consumer's transport added when it refused the message (dead-letter-topic.ts): not the message's own. */
const ADDED_ON_REFUSAL = /^aftermath-(error|error-fields|source-topic|source-partition|source-offset|value-dropped)$/;

/**
 * Replays a renderer dead letter: publishes its bytes again onto incident-timeline.v1 under its key (the
 * incident id, so the same partition), once the renderer was fixed. The timeline publishes that topic (its
 * outbox), so it is the one to put a refused message back. The message carries the letter's id
 * (`aftermath-dead-letter-id`): refused once more, it comes back as the same letter, not a new one.
 * A message newer than the letter says where its event is now: the renderer keeps the larger `sequence`.
 */
@Injectable()
export class RendererLetterReplay implements OnApplicationShutdown {
  private readonly producer: Producer;
  private connecting: Promise<void> | null = null;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(TOPICS) private readonly topics: Topics,
  ) {
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: KeyHashPartitioner });
  }

  async republish(letter: StoredMessage): Promise<{ topic: string; partition: number; offset: string }> {
    if (letter.topic !== 'incident-timeline.dlq.v1') {
      throw conflict(`dead letter ${letter.id} came from ${letter.topic}: it is replayed through ingest (npm run dead-letters -- replay ${letter.id})`);
    }
    const headers: IHeaders = { 'aftermath-dead-letter-id': letter.id };
    for (const [name, value] of Object.entries(letter.headers)) if (!ADDED_ON_REFUSAL.test(name) && !(name in headers)) headers[name] = value;
    this.connecting ??= this.producer.connect().catch((error) => {
      this.connecting = null;
      throw error;
    });
    await this.connecting;
    const [sent] = await this.producer.send({
      topic: this.topics.timeline,
      acks: -1,
      compression: CompressionTypes.GZIP,
      messages: [{ key: letter.key, value: letter.body, headers }],
    });
    return { topic: 'incident-timeline.v1', partition: sent!.partition, offset: sent!.baseOffset ?? sent!.offset ?? '' };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect().catch(() => undefined);
  }
}
