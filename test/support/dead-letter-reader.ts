import type { Kafka, KafkaMessage } from 'kafkajs';
import { waitFor } from './environment.js';

/** Collects a dead-letter topic from its beginning, with a consumer group of its own. */
export interface DeadLetterReader {
  letters: KafkaMessage[];
  /** Waits for the letter of the message at `offset` of the source topic. */
  forOffset(offset: string): Promise<KafkaMessage>;
  header(letter: KafkaMessage, name: string): string | undefined;
  close(): Promise<void>;
}

export async function readDeadLetters(kafka: Kafka, topic: string, groupId: string): Promise<DeadLetterReader> {
  const letters: KafkaMessage[] = [];
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void letters.push(message) });
  const header = (letter: KafkaMessage, name: string) => letter.headers?.[name]?.toString();
  return {
    letters,
    header,
    forOffset: (offset) =>
      waitFor(async () => letters.find((letter) => header(letter, 'aftermath-source-offset') === offset), `the dead letter of offset ${offset} on ${topic}`),
    async close() {
      await consumer.disconnect().catch(() => undefined);
    },
  };
}
