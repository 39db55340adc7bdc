import type { KafkaMessage } from 'kafkajs';
import { messageOf } from '@app/domain';

/** Fatal: invalid UTF-8 is refused, not turned into text with replacement characters. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A message's value as JSON, or why it is not (a dead letter's reason). Any Kafka client may produce to a topic. */
export function messageJson(message: KafkaMessage): { ok: true; json: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, json: JSON.parse(utf8.decode(message.value ?? new Uint8Array())) };
  } catch (error) {
    return { ok: false, reason: `not valid UTF-8 JSON: ${messageOf(error)}` };
  }
}
