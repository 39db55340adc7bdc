import { occurredAtSchema } from '@app/domain';

const CLOCK = /^(\d{1,2}):(\d{2})$/;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * `started 15:20 UTC [note]` or `started 2025-04-05T15:20:00Z [note]`. A bare clock time is the latest
 * such moment not after the request (people type it the same day, or just after midnight for the evening
 * before); an impact cannot start after the command that reports it.
 */
export function parseImpactStart(args: string, requestTime: Date): { at: Date; note?: string } | string {
  const [when = '', ...rest] = args.trim().split(/\s+/);
  let at: Date;
  let noteWords = rest;
  const clock = when.match(CLOCK);
  if (clock) {
    const [hours, minutes] = [Number(clock[1]), Number(clock[2])];
    if (hours > 23 || minutes > 59) return `${when} is not a time of day`;
    if (rest[0]?.toUpperCase() === 'UTC') noteWords = rest.slice(1);
    const sameDay = Date.UTC(requestTime.getUTCFullYear(), requestTime.getUTCMonth(), requestTime.getUTCDate(), hours, minutes);
    at = new Date(sameDay > requestTime.getTime() ? sameDay - DAY_MS : sameDay);
  } else if (occurredAtSchema.safeParse(when).success) {
    at = new Date(when);
    if (at.getTime() > requestTime.getTime()) return `${when} is in the future`;
  } else {
    return 'give the time as HH:MM (UTC) or as RFC 3339 with an offset (2025-04-05T15:20:00Z)';
  }
  const note = noteWords.join(' ');
  return note ? { at, note } : { at };
}
