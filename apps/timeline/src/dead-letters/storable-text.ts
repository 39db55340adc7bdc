import { isUtf8 } from 'node:buffer';

/**
 * What PostgreSQL refuses in text (U+0000) and in jsonb (U+0000 and unpaired surrogates, as `\u` escapes):
 * a dead letter holding either must still be stored, so its text fields carry them as visible escapes.
 */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Beyond this depth a JSON value is kept as its JSON text: jsonb's parser has a stack limit too. */
const MAX_JSON_DEPTH = 32;

/** The text with U+0000 and each unpaired surrogate written as `\u0000`, `\ud800`: storable, and visibly not the original. */
export const storableText = (text: string): string => text.replace(UNSTORABLE, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * A Kafka header's bytes as text: UTF-8 as it is (escaped as storableText does), anything else byte by byte,
 * printable ASCII as is and every other byte as `\xNN`, so bytes that are not text stay readable and whole.
 */
export function headerText(bytes: Buffer): string {
  if (isUtf8(bytes)) return storableText(bytes.toString('utf8'));
  let shown = '';
  for (const byte of bytes) shown += byte >= 0x20 && byte < 0x7f && byte !== 0x5c ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`;
  return shown;
}

/** A JSON value whose every string (keys too) is storable text, and whose nesting jsonb can parse. */
export function storableJson(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return storableText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_JSON_DEPTH) return deepJsonText(value);
  if (Array.isArray(value)) return value.map((item) => storableJson(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [storableText(key), storableJson(child, depth + 1)]));
}

function deepJsonText(value: unknown): string {
  try {
    return storableText(JSON.stringify(value));
  } catch {
    return `(nested deeper than ${MAX_JSON_DEPTH} levels)`;
  }
}
