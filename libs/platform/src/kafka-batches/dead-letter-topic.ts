import { CompressionTypes, type IHeaders, type Message, type Producer } from 'kafkajs';
import { chunksOfSize } from '../kafka/chunks-by-size.js';
import type { DeadLetter } from './isolate-poison.js';

/** Header values are cut here: a reason listing every issue of a huge envelope must not make the letter too large. */
const MAX_HEADER_CHARS = 4000;
/**
 * Uncompressed bytes per produce request. Far below the topic's max.message.bytes (the limit applies to
 * the compressed record batch), so a request of many letters always fits; a larger single letter goes alone.
 */
export const DEAD_LETTER_SEND_BYTES = 1024 * 1024;

export interface DeadLetterSource {
  topic: string;
  partition: number;
}

/** The original key, value and headers, byte for byte, plus headers saying where it came from and why it was refused. */
export function deadLetterMessage(letter: DeadLetter, source: DeadLetterSource): Message {
  const { message, reason, fields = [] } = letter;
  return {
    key: message.key,
    value: message.value,
    headers: {
      ...(message.headers as IHeaders | undefined),
      'aftermath-error': reason.slice(0, MAX_HEADER_CHARS),
      'aftermath-error-fields': fields.join(',').slice(0, MAX_HEADER_CHARS),
      'aftermath-source-topic': source.topic,
      'aftermath-source-partition': String(source.partition),
      'aftermath-source-offset': message.offset,
    },
  };
}

/** The letter's size before compression: value, key and headers. */
export function approximateBytes(message: Message): number {
  let bytes = 64 + (message.key?.length ?? 0) + ((message.value as Buffer | null)?.length ?? 0);
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    bytes += name.length + (Array.isArray(value) ? value.reduce((sum, v) => sum + String(v).length, 0) : (value?.length ?? 0));
  }
  return bytes;
}

/**
 * Sends dead letters gzip-compressed, in requests that fit the topic. A single letter the broker still
 * refuses as too large (an incompressible value near the source topic's limit) is sent without its value,
 * with `aftermath-value-dropped` giving its size, rather than stopping the partition.
 */
export async function publishDeadLetters(producer: Producer, topic: string, source: DeadLetterSource, letters: DeadLetter[]): Promise<void> {
  const messages = letters.map((letter) => deadLetterMessage(letter, source));
  for (const group of chunksOfSize(messages, DEAD_LETTER_SEND_BYTES, approximateBytes)) {
    try {
      await producer.send({ topic, acks: -1, compression: CompressionTypes.GZIP, messages: group });
    } catch (error) {
      if (!isTooLarge(error)) throw error;
      for (const message of group) {
        await producer.send({ topic, acks: -1, compression: CompressionTypes.GZIP, messages: [withoutValueIfTooLarge(message)] });
      }
    }
  }
}

function withoutValueIfTooLarge(message: Message): Message {
  const bytes = (message.value as Buffer | null)?.length ?? 0;
  if (bytes < DEAD_LETTER_SEND_BYTES) return message;
  return { ...message, value: null, headers: { ...message.headers, 'aftermath-value-dropped': String(bytes) } };
}

function isTooLarge(error: unknown): boolean {
  const e = error as { type?: string; originalError?: { type?: string }; message?: string };
  const type = e?.type ?? e?.originalError?.type ?? '';
  return type === 'MESSAGE_TOO_LARGE' || type === 'RECORD_LIST_TOO_LARGE' || /too large/i.test(e?.message ?? '');
}
