/*
 * Opsgenie sends createdAt/updatedAt as epoch numbers whose unit varies by payload: milliseconds in
 * some, nanoseconds in others, sometimes seconds. The magnitude tells them apart for any date between
 * 2001 and the year 33658: seconds < 1e12 <= milliseconds < 1e15 <= microseconds < 1e18 <= nanoseconds.
 */
const UNITS_PER_MS: [limit: bigint, divisor: bigint, multiplier: bigint][] = [
  [10n ** 12n, 1n, 1000n], // seconds
  [10n ** 15n, 1n, 1n], // milliseconds
  [10n ** 18n, 1000n, 1n], // microseconds
];
const NANOS_PER_MS = 1_000_000n;

/** An epoch as sent: a JSON number, or a digit string (which keeps nanosecond precision). */
export type EpochValue = number | string;

/** Epoch milliseconds of an Opsgenie timestamp of any of those units; BigInt keeps nanoseconds exact. */
export function epochToMs(value: EpochValue): number {
  const whole = typeof value === 'string' ? BigInt(value) : BigInt(Math.trunc(value));
  for (const [limit, divisor, multiplier] of UNITS_PER_MS) {
    if (whole < limit) return Number((whole * multiplier) / divisor);
  }
  return Number(whole / NANOS_PER_MS);
}

/** The largest epoch milliseconds a Date holds (ECMAScript: 8.64e15, the year 275760). */
const MAX_DATE_MS = 8.64e15;

/** RFC 3339 in UTC with milliseconds, as the envelope's occurredAt wants it; undefined beyond what a Date holds. */
export const epochToRfc3339 = (value: EpochValue): string | undefined => {
  const ms = epochToMs(value);
  return Math.abs(ms) <= MAX_DATE_MS ? new Date(ms).toISOString() : undefined;
};
