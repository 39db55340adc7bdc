import fc from 'fast-check';
import { bridgeGaps, InstantIntervals, type Interval } from './instant-intervals.js';

const instantsOf = (intervals: readonly Interval[]): number[] => intervals.flatMap(({ fromMs, toMs }) => Array.from({ length: toMs - fromMs + 1 }, (_, i) => fromMs + i));

const intervalsOf = (pairs: [number, number][]): InstantIntervals => {
  const set = new InstantIntervals();
  for (const [fromMs, toMs] of pairs) set.add(fromMs, toMs);
  return set;
};

test('two far-apart instants stay two intervals; a third touching one merges with its neighbour', () => {
  const set = new InstantIntervals();
  expect(set.add(1_000, 1_000)).toBe(true);
  expect(set.add(864_001_000, 864_001_000)).toBe(true);
  expect(set.intervals()).toEqual([
    { fromMs: 1_000, toMs: 1_000 },
    { fromMs: 864_001_000, toMs: 864_001_000 },
  ]);
  expect(set.add(1_001, 2_000)).toBe(true);
  expect(set.intervals()[0]).toEqual({ fromMs: 1_000, toMs: 2_000 });
  expect(set.add(1_500, 1_600)).toBe(false);
  expect(set.add(0, 864_001_000)).toBe(true);
  expect(set.intervals()).toEqual([{ fromMs: 0, toMs: 864_001_000 }]);
});

test('what is not loaded yet: only the new parts of a grown set', () => {
  const loaded = intervalsOf([[10, 20], [40, 50]]);
  const reached = intervalsOf([[10, 20], [40, 50], [5, 12], [30, 60], [100, 100]]);
  expect(reached.without(loaded)).toEqual([
    { fromMs: 5, toMs: 9 },
    { fromMs: 30, toMs: 39 },
    { fromMs: 51, toMs: 60 },
    { fromMs: 100, toMs: 100 },
  ]);
});

const pairs = fc.array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 20 })).map(([from, length]): [number, number] => [from, from + length]), { maxLength: 12 });

test('the set holds exactly the instants added, as sorted intervals with at least one free instant between them', () => {
  fc.assert(
    fc.property(pairs, (added) => {
      const set = new InstantIntervals();
      const model = new Set<number>();
      for (const [fromMs, toMs] of added) {
        const before = model.size;
        for (let at = fromMs; at <= toMs; at += 1) model.add(at);
        expect(set.add(fromMs, toMs)).toBe(model.size > before);
      }
      const list = set.intervals();
      expect(instantsOf(list)).toEqual([...model].sort((a, b) => a - b));
      for (let i = 1; i < list.length; i += 1) expect(list[i]!.fromMs).toBeGreaterThan(list[i - 1]!.toMs + 1);
    }),
  );
});

test('without() gives exactly the instants of one set that the other lacks', () => {
  fc.assert(
    fc.property(pairs, pairs, (a, b) => {
      const other = new Set(instantsOf(intervalsOf(b).intervals()));
      const expected = instantsOf(intervalsOf(a).intervals()).filter((at) => !other.has(at));
      expect(instantsOf(intervalsOf(a).without(intervalsOf(b)))).toEqual(expected);
    }),
  );
});

test('bridging fills the gaps shorter than the bound only', () => {
  const intervals = [
    { fromMs: 0, toMs: 0 },
    { fromMs: 2_000, toMs: 2_000 },
    { fromMs: 4_000, toMs: 5_000 },
    { fromMs: 864_000_000, toMs: 864_000_000 },
  ];
  expect(bridgeGaps(intervals, 2_000)).toEqual([
    { fromMs: 0, toMs: 5_000 },
    { fromMs: 864_000_000, toMs: 864_000_000 },
  ]);
  expect(bridgeGaps(intervals, 1_999)).toEqual(intervals);
  expect(bridgeGaps(intervals, 0)).toEqual(intervals);
});
