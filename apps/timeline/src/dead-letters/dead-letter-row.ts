import { createHash } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';

/** A dead letter as stored: what arrived on incident-events.dlq.v1, with the reason from its headers. */
export interface DeadLetterRow {
  id: string;
  kind: 'webhook' | 'event';
  source: string;
  reason: string;
  fields: string[];
  parts: unknown;
  body: Buffer;
  headers: Record<string, string>;
  receivedAt: Date;
}

/** Header text as PostgreSQL can hold it (no NUL), so storing a letter can never fail on its content. */
const text = (value: Buffer | string | (Buffer | string)[] | undefined): string | undefined =>
  value === undefined ? undefined : Array.isArray(value) ? text(value[0]) : value.toString().replaceAll('\u0000', '');

function parseJson(value: string | undefined): unknown {
  try {
    return value === undefined ? null : JSON.parse(value);
  } catch {
    return null;
  }
}

/**
 * Ingest names its kept-aside webhook bodies (`aftermath-dead-letter-id`, derived from source and bytes, so a
 * re-sent body is one row). The timeline's own poison messages are named by their place in the events
 * topic, so a batch re-delivered after a crash is one row too.
 */
export function deadLetterRow(message: KafkaMessage, dlqTopic: string): DeadLetterRow {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    const decoded = text(value);
    if (decoded !== undefined) headers[name] = decoded;
  }
  const sourceTopic = headers['aftermath-source-topic'];
  const place = sourceTopic
    ? `${sourceTopic}\n${headers['aftermath-source-partition']}\n${headers['aftermath-source-offset']}`
    : `${dlqTopic}\n${message.offset}`;
  const id = headers['aftermath-dead-letter-id'] ?? `dl-${createHash('sha256').update(place).digest('hex').slice(0, 32)}`;
  const receivedAt = new Date(headers['aftermath-received-at'] ?? Number(message.timestamp));
  return {
    id,
    kind: headers['aftermath-kind'] === 'webhook' ? 'webhook' : 'event',
    source: headers['aftermath-webhook'] ?? sourceTopic ?? 'unknown',
    reason: headers['aftermath-error'] ?? '(no reason given)',
    fields: (headers['aftermath-error-fields'] ?? '').split(',').filter(Boolean),
    parts: parseJson(headers['aftermath-kept-aside']),
    body: message.value ?? Buffer.alloc(0),
    headers,
    receivedAt: Number.isNaN(receivedAt.getTime()) ? new Date() : receivedAt,
  };
}
