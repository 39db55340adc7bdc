import { decodeCursor, encodeCursor } from './incident-queries.js';

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('decodeCursor', () => {
  it('reads back what encodeCursor wrote', () => {
    const cursor = encodeCursor(new Date('2025-04-05T15:28:00Z'), 'inc-0123456789abcdef');
    expect(decodeCursor(cursor)).toEqual({ firstEventAt: '2025-04-05T15:28:00.000Z', id: 'inc-0123456789abcdef' });
  });

  it.each([
    ['not base64 JSON', 'garbage!'],
    ['not an array', base64url({ firstEventAt: '2025-04-05T15:28:00.000Z', id: 'x' })],
    ['an instant not written by toISOString', base64url(['2025-04-05T15:28:00Z', 'x'])],
    ['an impossible date', base64url(['2025-13-45T15:28:00.000Z', 'x'])],
    ['a non-string id', base64url(['2025-04-05T15:28:00.000Z', 7])],
    ['an id longer than 256 characters', base64url(['2025-04-05T15:28:00.000Z', 'x'.repeat(257)])],
    ['a NUL in the id', base64url(['2025-04-05T15:28:00.000Z', 'a\u0000b'])],
  ])('refuses %s', (_what, cursor) => {
    expect(decodeCursor(cursor)).toBeNull();
  });
});
