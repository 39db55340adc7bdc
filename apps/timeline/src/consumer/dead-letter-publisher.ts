import type { Producer } from 'kafkajs';
import type { DeadLetter } from './decode-messages.js';

/** Sends rejected messages, byte for byte, to the DLQ with headers naming the error. */
export async function publishDeadLetters(producer: Producer, topic: string, sourceTopic: string, partition: number, letters: DeadLetter[]) {
  if (letters.length === 0) return;
  await producer.send({
    topic,
    acks: -1,
    messages: letters.map(({ message, reason, fields }) => ({
      key: message.key,
      value: message.value,
      headers: {
        ...message.headers,
        'aftermath-error': reason.slice(0, 4000),
        'aftermath-error-fields': fields.join(','),
        'aftermath-source-topic': sourceTopic,
        'aftermath-source-partition': String(partition),
        'aftermath-source-offset': message.offset,
      },
    })),
  });
}
