import { epochToMs, epochToRfc3339 } from './epoch-time.js';

const instant = Date.UTC(2025, 3, 5, 15, 28, 0, 104);

describe('epochToMs', () => {
  it.each([
    ['seconds', instant / 1000 - 0.104, instant - 104],
    ['milliseconds', instant, instant],
    ['microseconds', instant * 1000 + 7, instant],
    ['nanoseconds', instant * 1_000_000, instant],
  ])('reads %s by magnitude', (_unit, value, expected) => {
    expect(epochToMs(value)).toBe(expected);
  });

  it('reads nanoseconds sent as digits exactly, beyond the precision of a JSON number', () => {
    expect(epochToMs('1743866880104999999')).toBe(instant);
  });

  it('formats as RFC 3339 UTC with milliseconds', () => {
    expect(epochToRfc3339(1420452224764002246)).toBe('2015-01-05T10:03:44.764Z');
    expect(epochToRfc3339(1420452191104)).toBe('2015-01-05T10:03:11.104Z');
    expect(epochToRfc3339(1420452191)).toBe('2015-01-05T10:03:11.000Z');
  });
});
