import type { ValidationIssue } from './parse-event.js';

/*
 * occurredAt as PostgreSQL's timestamptz and the projection both hold it. Normalised once, at
 * validation, so the stored payload, the `occurred_at` column and every projection use one instant:
 * - fractional seconds: up to 9 digits (nanoseconds) are accepted and cut to milliseconds, the
 *   precision of the projection (JavaScript's Date truncates the same way); more digits are refused;
 * - offsets: within ±15:59, the widest PostgreSQL accepts (RFC 3339 allows up to ±23:59);
 * - years: 0001-9999 in UTC, what both timestamptz and RFC 3339's four-digit years hold.
 * The offset itself is kept as sent.
 */
export const MAX_FRACTION_DIGITS = 9;
const MAX_OFFSET_MINUTES = 15 * 60 + 59;
/** The years an instant may lie in (UTC): the one definition, for validation and for the store. */
export const EARLIEST_INSTANT_MS = Date.parse('0001-01-01T00:00:00Z');
export const LATEST_INSTANT_MS = Date.parse('9999-12-31T23:59:59.999Z');

const PARTS = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-](\d{2}):(\d{2}))$/i;

export type NormalisedInstant = { ok: true; value: string } | { ok: false; issue: ValidationIssue };

/** The instant as stored, or why it cannot be; `value` must already be an RFC 3339 date-time with offset. */
export function normaliseInstant(value: string, path = 'occurredAt'): NormalisedInstant {
  const parts = PARTS.exec(value);
  if (!parts) return { ok: false, issue: { path, message: 'expected an RFC 3339 date-time with offset' } };
  const [, dateTime, fraction = '', zone, hours, minutes] = parts;
  if (fraction.length > MAX_FRACTION_DIGITS) {
    return { ok: false, issue: { path, message: `at most ${MAX_FRACTION_DIGITS} fractional second digits, got ${fraction.length}` } };
  }
  if (hours !== undefined && Number(hours) * 60 + Number(minutes) > MAX_OFFSET_MINUTES) {
    return { ok: false, issue: { path, message: `the offset ${zone} is beyond ±15:59, which PostgreSQL cannot store` } };
  }
  const normalised = `${dateTime}${fraction ? `.${fraction.slice(0, 3)}` : ''}${zone}`;
  const at = Date.parse(normalised);
  if (!(at >= EARLIEST_INSTANT_MS && at <= LATEST_INSTANT_MS)) return { ok: false, issue: { path, message: 'must lie between the years 0001 and 9999 (UTC)' } };
  return { ok: true, value: normalised };
}

/**
 * `ms` as ISO text within those years: every event lies in them, but a correlation window reaching a
 * margin before or after one may step outside, and PostgreSQL would refuse the bound.
 */
export function storableInstant(ms: number): string {
  return new Date(Math.min(LATEST_INSTANT_MS, Math.max(EARLIEST_INSTANT_MS, ms))).toISOString();
}

/** An occurredAt more than `maxSkewMs` after `receivedAt`: a sender's clock (or a typo) is wrong. */
export function tooFarAhead(occurredAt: string, receivedAt: number, maxSkewMs: number): boolean {
  return Date.parse(occurredAt) > receivedAt + maxSkewMs;
}
