import { parseEvent } from './parse-event.js';
import { normaliseInstant, storableInstant, tooFarAhead } from './instant.js';

const valid = { id: 'e-1', type: 'note.added', occurredAt: '2025-04-05T15:28:00Z', source: 'api', service: 'svc', data: { text: 'ok' } };

const parsedAt = (occurredAt: string) => {
  const parsed = parseEvent({ ...valid, occurredAt });
  return parsed.ok ? parsed.event.occurredAt : parsed.issues;
};

describe('occurredAt is normalised once, to what PostgreSQL and the projection hold', () => {
  it.each([
    ['2025-04-05T15:28:00Z', '2025-04-05T15:28:00Z'],
    ['2025-04-05T15:28:00.5Z', '2025-04-05T15:28:00.5Z'],
    ['2025-04-05T15:28:00.123456789Z', '2025-04-05T15:28:00.123Z'],
    ['2025-04-05T17:28:00.999999+02:00', '2025-04-05T17:28:00.999+02:00'],
    ['2025-04-05T15:28:00-15:59', '2025-04-05T15:28:00-15:59'],
  ])('%s is stored as %s, keeping its offset', (sent, stored) => {
    expect(parsedAt(sent)).toBe(stored);
    expect(Date.parse(stored)).toBe(Date.parse(sent));
  });

  it('gives the same event when its output is parsed again', () => {
    const once = parseEvent({ ...valid, occurredAt: '2025-04-05T15:28:00.1234567Z' });
    const twice = once.ok && parseEvent(once.event);
    expect(twice && twice.ok && twice.event).toEqual(once.ok && once.event);
  });

  it.each([
    ['an offset beyond ±15:59', '2025-04-05T15:28:00+16:00', /offset \+16:00/],
    ['a negative one', '2025-04-05T15:28:00-23:59', /offset -23:59/],
    ['ten fractional digits', '2025-04-05T15:28:00.1234567891Z', /at most 9 fractional/],
    ['two hundred of them', `2025-04-05T15:28:00.${'1'.repeat(200)}Z`, /at most 9 fractional/],
    ['year 0 in UTC', '0001-01-01T00:30:00+01:00', /between the years 0001 and 9999/],
    ['year 10000 in UTC', '9999-12-31T23:59:59-01:00', /between the years 0001 and 9999/],
  ])('refuses %s, naming occurredAt', (_case, occurredAt, message) => {
    expect(parsedAt(occurredAt)).toEqual([{ path: 'occurredAt', message: expect.stringMatching(message) }]);
  });

  it('names the path it is given', () => {
    expect(normaliseInstant('2025-04-05T15:28:00+16:00', 'time')).toMatchObject({ ok: false, issue: { path: 'time' } });
  });

  it('tells an instant beyond the allowed skew after receipt', () => {
    const receivedAt = Date.parse('2025-04-05T15:00:00Z');
    expect(tooFarAhead('2025-04-05T16:00:00Z', receivedAt, 60 * 60_000)).toBe(false);
    expect(tooFarAhead('2025-04-05T16:00:00.001Z', receivedAt, 60 * 60_000)).toBe(true);
  });

  it('keeps a window bound within the years that validation allows, so the store can take it', () => {
    const margin = 30 * 60_000;
    expect(storableInstant(Date.parse('2025-04-05T15:28:00Z') - margin)).toBe('2025-04-05T14:58:00.000Z');
    expect(storableInstant(Date.parse('0001-01-01T00:10:00Z') - margin)).toBe('0001-01-01T00:00:00.000Z');
    expect(storableInstant(Date.parse('9999-12-31T23:50:00Z') + margin)).toBe('9999-12-31T23:59:59.999Z');
    expect(normaliseInstant(storableInstant(Number.MAX_SAFE_INTEGER))).toMatchObject({ ok: true });
  });
});
