import { parseEvent } from '@app/domain';
import type { KafkaMessage } from 'kafkajs';
import { messageJson, type DeadLetter } from '@app/platform';
import type { IncomingEvent } from '../event-store/append-events.js';

/**
 * Splits a Kafka batch into valid events and dead letters. Any Kafka client may produce to the topic,
 * so the broker's bytes get the same validation as an HTTP request.
 */
export function decodeMessages(partition: number, messages: KafkaMessage[]): { events: IncomingEvent[]; deadLetters: DeadLetter[] } {
  const events: IncomingEvent[] = [];
  const deadLetters: DeadLetter[] = [];
  for (const message of messages) {
    const decoded = messageJson(message);
    if (!decoded.ok) {
      deadLetters.push({ message, reason: decoded.reason, fields: [] });
      continue;
    }
    const parsed = parseEvent(decoded.json);
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
