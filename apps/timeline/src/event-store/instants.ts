const EARLIEST_MS = Date.parse('0001-01-01T00:00:00Z');
const LATEST_MS = Date.parse('9999-12-31T23:59:59.999Z');

/** An instant as ISO text PostgreSQL accepts: event times lie in 0001-9999, a margin may step outside. */
export function storableInstant(ms: number): string {
  return new Date(Math.min(LATEST_MS, Math.max(EARLIEST_MS, ms))).toISOString();
}
