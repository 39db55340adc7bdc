import type { IncomingEvent } from '../event-store/append-events.js';
import type { BatchReport } from './batch-report.js';
import { CoalescingProcessor } from './coalescing-processor.js';

const report: BatchReport = { stored: 0, duplicates: 0, conflicts: 0, attached: 0, opened: 0, correlatedFrom: null };
const events = (...ids: string[]) => ids.map((id) => ({ event: { id } }) as unknown as IncomingEvent);

describe('CoalescingProcessor', () => {
  it('runs a lone submission at once and batches those that arrive while it runs', async () => {
    const calls: string[][] = [];
    let release!: () => void;
    const firstRunning = new Promise<void>((resolve) => (release = resolve));
    const processor = new CoalescingProcessor(async (batch) => {
      calls.push(batch.map((item) => item.event.id));
      if (calls.length === 1) await firstRunning;
      return report;
    }, () => undefined);
    const first = processor.submit(events('a'));
    const second = processor.submit(events('b'));
    const third = processor.submit(events('c', 'd'));
    release();
    await Promise.all([first, second, third]);
    expect(calls).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('fails every submission of a failed group, and the next group runs afresh', async () => {
    let attempt = 0;
    const seen: number[] = [];
    const processor = new CoalescingProcessor(async (batch) => {
      attempt += 1;
      if (attempt === 1) throw new Error('database down');
      return report;
    }, (_report, count) => seen.push(count));
    await expect(processor.submit(events('a'))).rejects.toThrow('database down');
    await expect(processor.submit(events('a', 'b'))).resolves.toBeUndefined();
    expect(seen).toEqual([2]);
  });

  it('stops a group at maxEvents, in arrival order; a larger submission still runs alone', async () => {
    const calls: string[][] = [];
    let release!: () => void;
    const firstRunning = new Promise<void>((resolve) => (release = resolve));
    const processor = new CoalescingProcessor(
      async (batch) => {
        calls.push(batch.map((item) => item.event.id));
        if (calls.length === 1) await firstRunning;
        return report;
      },
      () => undefined,
      3,
    );
    const submitted = [
      processor.submit(events('a')),
      processor.submit(events('b', 'c')),
      processor.submit(events('d')),
      processor.submit(events('e', 'f', 'g', 'h')),
      processor.submit(events('i')),
    ];
    release();
    await Promise.all(submitted);
    expect(calls).toEqual([['a'], ['b', 'c', 'd'], ['e', 'f', 'g', 'h'], ['i']]);
  });

  it('tries a failed group submission by submission, so only the one holding the poison fails', async () => {
    const calls: string[][] = [];
    let release!: () => void;
    const firstRunning = new Promise<void>((resolve) => (release = resolve));
    const processor = new CoalescingProcessor(async (batch) => {
      const ids = batch.map((item) => item.event.id);
      calls.push(ids);
      if (calls.length === 1) await firstRunning;
      if (ids.includes('poison')) throw new Error('22008 out of range');
      return report;
    }, () => undefined);
    const first = processor.submit(events('a'));
    const innocent = processor.submit(events('b'));
    const guilty = processor.submit(events('poison', 'c'));
    release();
    await first;
    await expect(innocent).resolves.toBeUndefined();
    await expect(guilty).rejects.toThrow('22008');
    expect(calls).toEqual([['a'], ['b', 'poison', 'c'], ['b'], ['poison', 'c']]);
  });
});
