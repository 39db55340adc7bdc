import { parseEvent } from '@app/domain';
import type { KafkaMessage } from 'kafkajs';
import type { IncomingEvent } from '../event-store/append-events.js';

export interface DeadLetter {
  message: KafkaMessage;
  reason: string;
  fields: string[];
}

/** Fatal: invalid UTF-8 is a dead letter, not text with replacement characters. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Splits a Kafka batch into valid events and dead letters. Any Kafka client may produce to the topic,
 * so the broker's bytes get the same validation as an HTTP request.
 */
export function decodeMessages(partition: number, messages: KafkaMessage[]): { events: IncomingEvent[]; deadLetters: DeadLetter[] } {
  const events: IncomingEvent[] = [];
  const deadLetters: DeadLetter[] = [];
  for (const message of messages) {
    let json: unknown;
    try {
      json = JSON.parse(utf8.decode(message.value ?? new Uint8Array()));
    } catch (error) {
      deadLetters.push({ message, reason: `not valid UTF-8 JSON: ${(error as Error).message}`, fields: [] });
      continue;
    }
    const parsed = parseEvent(json);
    if (parsed.ok) {
      events.push({ event: parsed.event, partition, offset: message.offset });
    } else {
      const fields = parsed.issues.map((issue) => issue.path);
      const reason = parsed.issues.map((issue) => `${issue.path || '(envelope)'}: ${issue.message}`).join('; ');
      deadLetters.push({ message, reason, fields });
    }
  }
  return { events, deadLetters };
}
