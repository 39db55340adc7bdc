import fc from 'fast-check';
import { compareEvents, eventTimeMs, orderEvents } from '../index.js';

const at = (id: string, occurredAt: string) => ({ id, occurredAt });

describe('event ordering', () => {
  it('compares by instant, not by the offset-bearing string', () => {
    const utc = at('b', '2025-04-05T15:00:00Z');
    const paris = at('a', '2025-04-05T16:30:00+02:00'); // 14:30Z, earlier despite the larger string
    expect(eventTimeMs(paris)).toBe(Date.UTC(2025, 3, 5, 14, 30));
    expect(compareEvents(paris, utc)).toBeLessThan(0);
  });

  it('breaks ties by id', () => {
    const same = '2025-04-05T15:00:00Z';
    expect(orderEvents([at('b', same), at('a', '2025-04-05T17:00:00+02:00')]).map((e) => e.id)).toEqual(['a', 'b']);
  });

  it('drops duplicate ids, first occurrence wins', () => {
    const first = { ...at('x', '2025-04-05T15:00:00Z'), marker: 1 };
    const resent = { ...at('x', '2025-04-05T15:00:00Z'), marker: 2 };
    expect(orderEvents([first, resent])).toEqual([first]);
  });

  it('gives the same order for any permutation with duplicates', () => {
    const event = fc.record({ id: fc.string({ minLength: 1, maxLength: 3 }), minute: fc.integer({ min: 0, max: 59 }) });
    fc.assert(
      fc.property(fc.uniqueArray(event, { selector: (e) => e.id }), fc.nat(), (raw, seed) => {
        const events = raw.map((e) => at(e.id, `2025-04-05T15:${String(e.minute).padStart(2, '0')}:00Z`));
        const shuffled = [...events, ...events.slice(0, seed % (events.length + 1))].sort(
          (a, b) => ((a.id.charCodeAt(0) * 31 + seed) % 7) - ((b.id.charCodeAt(0) * 31 + seed) % 7),
        );
        expect(orderEvents(shuffled)).toEqual(orderEvents(events));
      }),
    );
  });
});
