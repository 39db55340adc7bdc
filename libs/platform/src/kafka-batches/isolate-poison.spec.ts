import type { KafkaMessage } from 'kafkajs';
import { classifyFailure } from './failure-kind.js';
import { DEFAULT_BUG_RULE, processIsolatingPoison, type PoisonIsolation } from './isolate-poison.js';

const messages = (count: number) => Array.from({ length: count }, (_, i) => ({ offset: String(i), value: Buffer.from(`m${i}`) }) as unknown as KafkaMessage);
const dataError = (offset: string) => Object.assign(new Error(`value of message ${offset} out of range`), { code: '22008' });

/** A store that commits a slice only when none of its messages is poison, like a transaction would. */
function fakeStore(poison: Set<string>, options: { failTransiently?: number; dependenciesUp?: () => boolean; bug?: Set<string> } = {}) {
  const stored: string[] = [];
  const transactions: string[][] = [];
  let transientLeft = options.failTransiently ?? 0;
  const isolation: PoisonIsolation = {
    async process(slice) {
      transactions.push(slice.map((m) => m.offset));
      if (transientLeft > 0) {
        transientLeft -= 1;
        throw Object.assign(new Error('connection terminated'), { code: 'ECONNRESET' });
      }
      const bad = slice.find((m) => poison.has(m.offset));
      if (bad) throw dataError(bad.offset);
      const bug = slice.find((m) => options.bug?.has(m.offset));
      if (bug) throw new Error(`a step cannot handle message ${bug.offset}`);
      stored.push(...slice.map((m) => m.offset));
      return [];
    },
    async retry(work, isTransient) {
      for (;;) {
        try {
          return await work();
        } catch (error) {
          if (!isTransient(error)) throw error;
          // Lets timers run between attempts, as the real backoff does.
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
    },
    classify: classifyFailure,
    dependenciesUp: async () => options.dependenciesUp?.() ?? true,
    // Each look at the clock is a second later: the retries of a streak take time, as backoff makes them.
    now: () => (clock += 1000),
  };
  let clock = 0;
  return { isolation, stored, transactions };
}

describe('processIsolatingPoison', () => {
  it('stores a clean batch in one transaction', async () => {
    const store = fakeStore(new Set());
    expect(await processIsolatingPoison(messages(8), store.isolation)).toEqual([]);
    expect(store.transactions).toHaveLength(1);
    expect(store.stored).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
  });

  it('finds poison messages by halving, dead-letters them with the reason, stores every other message once and in order', async () => {
    const store = fakeStore(new Set(['3', '6']));
    const letters = await processIsolatingPoison(messages(8), store.isolation);
    expect(letters.map((letter) => letter.message.offset)).toEqual(['3', '6']);
    expect(letters[0]!.reason).toBe('SQLSTATE 22008: value of message 3 out of range');
    expect(store.stored).toEqual(['0', '1', '2', '4', '5', '7']);
    expect(new Set(store.stored).size).toBe(store.stored.length);
  });

  it('retries transient failures without splitting', async () => {
    const store = fakeStore(new Set(), { failTransiently: 3 });
    expect(await processIsolatingPoison(messages(4), store.isolation)).toEqual([]);
    expect(store.transactions).toEqual([['0', '1', '2', '3'], ['0', '1', '2', '3'], ['0', '1', '2', '3'], ['0', '1', '2', '3']]);
  });

  it('does not dead-letter while a dependency is down: the verdict waits until it is back', async () => {
    let checks = 0;
    const store = fakeStore(new Set(['0']), { dependenciesUp: () => (checks += 1) > 2 });
    const letters = await processIsolatingPoison(messages(1), store.isolation);
    expect(letters.map((letter) => letter.message.offset)).toEqual(['0']);
    expect(checks).toBe(3);
  });

  it('keeps the messages a slice refused without failing (undecodable ones) as dead letters too', async () => {
    const store = fakeStore(new Set(['2']));
    const process = store.isolation.process;
    store.isolation.process = async (slice) => {
      const undecodable = slice.filter((m) => m.offset === '0');
      await process(slice.filter((m) => m.offset !== '0'));
      return undecodable.map((message) => ({ message, reason: 'not JSON' }));
    };
    const letters = await processIsolatingPoison(messages(4), store.isolation);
    expect(letters.map((letter) => [letter.message.offset, letter.reason.slice(0, 8)])).toEqual([
      ['0', 'not JSON'],
      ['2', 'SQLSTATE'],
    ]);
    expect(store.stored).toEqual(['1', '3']);
  });
});

describe('a bug is not forever: a failure of unknown kind that repeats is isolated like poison', () => {
  const attemptsOf = (transactions: string[][], slice: string[]) => transactions.filter((t) => t.join() === slice.join()).length;

  it('retries the batch in place until it failed five times over ten seconds, then halves it: the message that throws is dead-lettered with the error, its neighbours stored once', async () => {
    const store = fakeStore(new Set(), { bug: new Set(['2']) });
    const letters = await processIsolatingPoison(messages(4), store.isolation);
    expect(letters.map((letter) => [letter.message.offset, letter.reason])).toEqual([['2', 'a step cannot handle message 2']]);
    expect(store.stored).toEqual(['0', '1', '3']);
    // The whole batch: at least 5 attempts and past 10 s of the clock (a second per look); the lone message: 5 attempts.
    expect(attemptsOf(store.transactions, ['0', '1', '2', '3'])).toBeGreaterThanOrEqual(5);
    expect(attemptsOf(store.transactions, ['2'])).toBe(5);
  });

  it('a batch of one message waits for the whole rule too', async () => {
    const store = fakeStore(new Set(), { bug: new Set(['0']) });
    expect((await processIsolatingPoison(messages(1), store.isolation)).map((letter) => letter.message.offset)).toEqual(['0']);
    expect(attemptsOf(store.transactions, ['0'])).toBeGreaterThanOrEqual(DEFAULT_BUG_RULE.ms / 1000 / 2);
  });

  it('never takes an unknown failure for a bug while a dependency is down: it is retried until the dependency is back', async () => {
    let up = false;
    const store = fakeStore(new Set(), { bug: new Set(['1']), dependenciesUp: () => up });
    const done = processIsolatingPoison(messages(2), store.isolation);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(store.stored).toEqual([]);
    expect(store.transactions.length).toBeGreaterThan(20);
    up = true;
    expect((await done).map((letter) => letter.message.offset)).toEqual(['1']);
    expect(store.stored).toEqual(['0']);
  });

  it('a healing failure between unknown ones starts the count again', async () => {
    let calls = 0;
    const store = fakeStore(new Set());
    const isolation: PoisonIsolation = {
      ...store.isolation,
      async process(slice) {
        calls += 1;
        // Unknown four times, then a connection error, then unknown four times, then it works.
        if (calls <= 4 || (calls >= 6 && calls <= 9)) throw new Error('flaky');
        if (calls === 5) throw Object.assign(new Error('reset'), { code: 'ECONNRESET' });
        return store.isolation.process(slice);
      },
    };
    expect(await processIsolatingPoison(messages(3), isolation)).toEqual([]);
    expect(store.stored).toEqual(['0', '1', '2']);
    expect(calls).toBe(10);
  });
});

describe('classifyFailure', () => {
  it.each([
    ['22008 datetime field overflow', { code: '22008' }, 'poison'],
    ['23502 not null (wrapped by TypeORM)', { driverError: { code: '23502' } }, 'poison'],
    ['54000 index row too large', { code: '54000' }, 'poison'],
    ['40001 serialization failure', { code: '40001' }, 'transient'],
    ['40P01 deadlock', { code: '40P01' }, 'transient'],
    ['57P01 admin shutdown', { code: '57P01' }, 'transient'],
    ['08006 connection failure', { code: '08006' }, 'transient'],
    ['ECONNREFUSED', { code: 'ECONNREFUSED' }, 'transient'],
  ])('%s', (_name, fields, kind) => {
    expect(classifyFailure(Object.assign(new Error('x'), fields))).toBe(kind);
  });

  it('treats a step throwing on an unexpected value as poison, connection trouble as transient, anything else as unknown', () => {
    expect(classifyFailure(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe('poison');
    expect(classifyFailure(new RangeError('Invalid time value'))).toBe('poison');
    expect(classifyFailure(new Error('Connection terminated unexpectedly'))).toBe('transient');
    expect(classifyFailure(Object.assign(new Error('broker away'), { name: 'KafkaJSConnectionError' }))).toBe('transient');
    expect(classifyFailure(new Error('the projection has no such incident'))).toBe('unknown');
    expect(classifyFailure('a string thrown')).toBe('unknown');
  });
});
