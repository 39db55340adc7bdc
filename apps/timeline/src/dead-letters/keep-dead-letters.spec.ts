import type { KafkaMessage } from 'kafkajs';
import { deadLetterRow, type DeadLetterRow } from './dead-letter-row.js';
import { keepDeadLetters, type LetterStore } from './keep-dead-letters.js';

/*
 * keepDeadLetters against a store that refuses what a rule says, as PostgreSQL refuses data (SQLSTATE class
 * 22), or does not answer at all: no letter stops the batch while the database answers, and nothing is
 * given up while it does not. The real store and its real refusals: test/e2e/dead-letters.e2e-spec.ts.
 */

const refusal = (state: string) => Object.assign(new Error('refused'), { code: state });

function letter(offset: string, headers: Record<string, string> = {}): DeadLetterRow {
  const message = { key: null, value: Buffer.from(`body ${offset}`), headers, offset, timestamp: '1748772000000', attributes: 0, size: 0 } as unknown as KafkaMessage;
  return deadLetterRow(message, 'incident-events.dlq.v1', 'incident-events.dlq.v1');
}

/** A store that refuses every insert holding a row `refuses` picks, as one statement fails as a whole. */
function storeRefusing(refuses: (row: DeadLetterRow) => boolean, answers = true): LetterStore & { stored: DeadLetterRow[]; inserts: number } {
  const store = {
    stored: [] as DeadLetterRow[],
    inserts: 0,
    async store(rows: readonly DeadLetterRow[]) {
      store.inserts++;
      if (rows.some(refuses)) throw refusal('22P05');
      store.stored.push(...rows);
    },
    answers: async () => answers,
  };
  return store;
}

const report = () => {
  const seen = { stripped: [] as string[], unstorable: [] as string[] };
  return { seen, report: { stripped: (row: DeadLetterRow) => void seen.stripped.push(row.id), unstorable: (row: DeadLetterRow) => void seen.unstorable.push(row.id) } };
};

it('stores a batch in one insert when nothing is refused', async () => {
  const store = storeRefusing(() => false);
  const { seen, report: keeping } = report();
  await keepDeadLetters([letter('1'), letter('2')], store, keeping);
  expect([store.inserts, store.stored.length, seen]).toEqual([1, 2, { stripped: [], unstorable: [] }]);
});

it('a letter refused with its headers is stored stripped, and the letters around it as they came', async () => {
  const rows = [letter('1'), letter('2', { 'aftermath-error': 'refused for its headers' }), letter('3')];
  const store = storeRefusing((row) => row.reason === 'refused for its headers');
  const { seen, report: keeping } = report();
  await keepDeadLetters(rows, store, keeping);
  expect(store.stored.map((row) => [row.id, row.headers])).toEqual([
    [rows[0]!.id, {}],
    [rows[1]!.id, {}],
    [rows[2]!.id, {}],
  ]);
  expect(store.stored[1]!.reason).toBe('refused for its headers (stored without its headers: SQLSTATE 22P05: refused)');
  expect(store.stored[1]!.body.toString()).toBe('body 2');
  expect(seen).toEqual({ stripped: [rows[1]!.id], unstorable: [] });
});

it('a letter refused even stripped is reported and left: the letters behind it are stored, nothing is thrown', async () => {
  const rows = [letter('1'), letter('2'), letter('3')];
  const store = storeRefusing((row) => row.body.toString() === 'body 2');
  const { seen, report: keeping } = report();
  await keepDeadLetters(rows, store, keeping);
  expect(store.stored.map((row) => row.id)).toEqual([rows[0]!.id, rows[2]!.id]);
  expect(seen).toEqual({ stripped: [], unstorable: [rows[1]!.id] });
});

it('while the database does not answer, the failure is thrown (the transport retries it) and no letter is given up', async () => {
  const store = storeRefusing(() => true, false);
  const { seen, report: keeping } = report();
  await expect(keepDeadLetters([letter('1')], store, keeping)).rejects.toThrow('refused');
  expect(seen).toEqual({ stripped: [], unstorable: [] });
});
