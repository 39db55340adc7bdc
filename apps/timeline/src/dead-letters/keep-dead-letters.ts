import { describeFailure } from '@app/platform';
import { strippedRow, type DeadLetterRow } from './dead-letter-row.js';

/** Where letters are kept: the store, and whether PostgreSQL answers at all. */
export interface LetterStore {
  store(rows: readonly DeadLetterRow[]): Promise<void>;
  answers(): Promise<boolean>;
}

/** What became of the letters that could not be stored as they came. */
export interface KeepingReport {
  /** Stored without its headers, fields and parts (strippedRow): still listed and replayable. */
  stripped(row: DeadLetterRow, failure: string): void;
  /** Not stored at all: logged and counted, and the partition moves on. */
  unstorable(row: DeadLetterRow, failure: string): void;
}

/**
 * Stores a batch of dead letters so that no letter can stop the partition behind it. A failure while
 * PostgreSQL does not answer is thrown (the transport retries it: nothing is lost during an outage).
 * While it answers, a failure is about the letters: each is stored alone, one refused alone again is
 * stored stripped to its id, source, reason and bytes, and one refused even so is reported and left.
 * The rows are made storable beforehand (deadLetterRow), so the last two are for what no one foresaw.
 */
export async function keepDeadLetters(rows: readonly DeadLetterRow[], store: LetterStore, report: KeepingReport): Promise<void> {
  if ((await stored(rows, store)) === true) return;
  for (const row of rows) {
    const failure = await stored([row], store);
    if (failure === true) continue;
    const strippedFailure = await stored([strippedRow(row, failure)], store);
    if (strippedFailure === true) report.stripped(row, failure);
    else report.unstorable(row, strippedFailure);
  }
}

/** true once stored; the failure's description when PostgreSQL answers but refused; throws while it does not answer. */
async function stored(rows: readonly DeadLetterRow[], store: LetterStore): Promise<true | string> {
  try {
    await store.store(rows);
    return true;
  } catch (error) {
    if (!(await store.answers())) throw error;
    return describeFailure(error);
  }
}
