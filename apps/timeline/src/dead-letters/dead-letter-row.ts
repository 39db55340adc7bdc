import { createHash } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
import { headerText, storableJson, storableText } from './storable-text.js';

/** The two dead-letter topics, by their contract names (a KAFKA_TOPIC_PREFIX is not part of them). */
export const DEAD_LETTER_TOPICS = ['incident-events.dlq.v1', 'incident-timeline.dlq.v1'] as const;
export type DeadLetterTopic = (typeof DEAD_LETTER_TOPICS)[number];

/** A dead letter as stored: what arrived on a dead-letter topic, with the reason from its headers. */
export interface DeadLetterRow {
  id: string;
  topic: DeadLetterTopic;
  kind: 'webhook' | 'event';
  source: string;
  reason: string;
  fields: string[];
  parts: unknown;
  key: Buffer | null;
  body: Buffer;
  headers: Record<string, string>;
  receivedAt: Date;
}

/** A longer id (another producer's header) would not fit the primary key's index: it is named by its hash instead. */
const MAX_ID_LENGTH = 200;
/** timestamptz holds years 4713 BC to 294276 AD; a header naming another instant is not believed. */
const EARLIEST = Date.UTC(1, 0, 1);
const LATEST = Date.UTC(9999, 11, 31);

const hashedId = (text: string) => `dl-${createHash('sha256').update(text).digest('hex').slice(0, 32)}`;

function parseJson(value: string | undefined): unknown {
  try {
    return value === undefined ? null : JSON.parse(value);
  } catch {
    return null;
  }
}

function instant(...candidates: (string | undefined)[]): Date {
  for (const candidate of candidates) {
    if (candidate === undefined) continue;
    const at = /^\d+$/.test(candidate) ? new Date(Number(candidate)) : new Date(candidate);
    if (at.getTime() >= EARLIEST && at.getTime() <= LATEST) return at;
  }
  return new Date();
}

/**
 * Ingest names its kept-aside webhook bodies (`aftermath-dead-letter-id`, derived from source and bytes, so a
 * re-sent body is one row). Messages the consumers refused are named by their place in the topic they
 * came from, so a batch re-delivered after a crash is one row too. Every text field is made storable
 * (storableText: PostgreSQL text and jsonb refuse U+0000 and unpaired surrogates, and the letter must be
 * stored whatever it holds); the key and the body are kept as bytes, unchanged.
 */
export function deadLetterRow(message: KafkaMessage, topic: DeadLetterTopic, topicAsNamed: string): DeadLetterRow {
  const headers: Record<string, string> = {};
  const raw: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first === undefined) continue;
    const bytes = Buffer.isBuffer(first) ? first : Buffer.from(first);
    headers[storableText(name)] = headerText(bytes);
    raw[name] = bytes.toString('utf8');
  }
  const sourceTopic = raw['aftermath-source-topic'];
  const place = sourceTopic
    ? `${sourceTopic}\n${raw['aftermath-source-partition']}\n${raw['aftermath-source-offset']}`
    : `${topicAsNamed}\n${message.offset}`;
  const named = headers['aftermath-dead-letter-id'];
  return {
    id: named === undefined ? hashedId(place) : named.length > MAX_ID_LENGTH ? hashedId(named) : named,
    topic,
    kind: raw['aftermath-kind'] === 'webhook' ? 'webhook' : 'event',
    source: headers['aftermath-webhook'] ?? (sourceTopic === undefined ? 'unknown' : headers['aftermath-source-topic']!),
    // A placeholder for a record batch that could not be decompressed on this very topic has only the codec's reason.
    reason: headers['aftermath-error'] ?? headers['aftermath-undecodable'] ?? '(no reason given)',
    fields: (headers['aftermath-error-fields'] ?? '').split(',').filter(Boolean),
    parts: storableJson(parseJson(raw['aftermath-kept-aside'])),
    key: message.key ?? null,
    body: message.value ?? Buffer.alloc(0),
    headers,
    receivedAt: instant(raw['aftermath-received-at'], message.timestamp),
  };
}

/** A letter whose headers could not even be read (a bug of ours, say): its place, its bytes and why. */
export function unreadableRow(message: KafkaMessage, topic: DeadLetterTopic, topicAsNamed: string, failure: string): DeadLetterRow {
  return {
    id: hashedId(`${topicAsNamed}\n${message.offset}`),
    topic,
    kind: 'event',
    source: 'unknown',
    reason: storableText(`its headers could not be read: ${failure}`),
    fields: [],
    parts: null,
    key: message.key ?? null,
    body: message.value ?? Buffer.alloc(0),
    headers: {},
    receivedAt: new Date(),
  };
}

/**
 * What is left to store of a letter whose row PostgreSQL refused all the same: its id, where it came from,
 * its bytes and why the rest is missing, so it is still listed and replayable.
 */
export function strippedRow(row: DeadLetterRow, failure: string): DeadLetterRow {
  return {
    ...row,
    reason: storableText(`${row.reason.slice(0, 2000)} (stored without its headers: ${failure})`),
    fields: [],
    parts: null,
    headers: {},
    receivedAt: new Date(),
  };
}
