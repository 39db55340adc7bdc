import { messageOf } from '@app/domain';

/**
 * Whether retrying a failed batch can help. `transient`: the database or the broker is away, busy or lost
 * a race; the same work succeeds later. `poison`: the work itself cannot be done (PostgreSQL refuses a
 * value, a step throws on an input it cannot handle); retrying only stops the partition, so the batch is
 * split until the message at fault is found and dead-lettered. `unknown`: anything else, such as a plain
 * Error from a bug; retried while it may heal, and treated as poison once it has failed the same batch
 * repeatedly, for a while, with every dependency up (processIsolatingPoison).
 */
export type FailureKind = 'transient' | 'poison' | 'unknown';

/**
 * Thrown by a step that knows the input, not the system, is at fault; the message goes to dead letters
 * with this reason.
 */
export class UnprocessableMessage extends Error {
  override readonly name = 'UnprocessableMessage';
}

/**
 * SQLSTATE classes PostgreSQL uses for values it refuses: 22 data exception (a timestamp out of range, a
 * number that overflows), 23 integrity constraint violation, 54 program limit exceeded (an index row too
 * large, a statement too complex for one batch: halves of it go through).
 */
const POISON_SQLSTATE_CLASSES = new Set(['22', '23', '54']);
/** Serialization failure and deadlock: the transaction lost a race and is retried as a whole. */
const TRANSIENT_SQLSTATES = new Set(['40001', '40P01']);

interface ErrorShape {
  code?: unknown;
  driverError?: ErrorShape;
  cause?: unknown;
  name?: unknown;
}

/** The SQLSTATE of a pg error, also when TypeORM wraps it in a QueryFailedError (`driverError`). */
export function sqlState(error: unknown): string | null {
  const e = error as ErrorShape | undefined;
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
}

/** What pg and kafkajs throw, without a SQLSTATE, when the connection rather than the work failed. */
const CONNECTION_TROUBLE = /connection terminated|connection timeout|timeout exceeded when trying to connect|connection error|not connected|ECONN|ETIMEDOUT/i;

/**
 * Classifies a batch failure. Only what is known to be about the input is poison: SQLSTATE classes 22, 23
 * and 54, an UnprocessableMessage, and the errors JavaScript throws on values a step did not expect
 * (TypeError, RangeError). Known to heal: every other SQLSTATE (40001/40P01, 08 connection, 53 resources,
 * 57 shutdown), system errors (ECONNRESET...), kafkajs' errors and connection trouble. Anything else is
 * `unknown`: a plain Error from a bug would otherwise be retried forever and stop its partition.
 */
export function classifyFailure(error: unknown): FailureKind {
  const state = sqlState(error);
  if (state) {
    if (TRANSIENT_SQLSTATES.has(state)) return 'transient';
    return POISON_SQLSTATE_CLASSES.has(state.slice(0, 2)) ? 'poison' : 'transient';
  }
  if (error instanceof UnprocessableMessage || error instanceof TypeError || error instanceof RangeError) return 'poison';
  const e = error as ErrorShape | undefined;
  if (typeof e?.code === 'string' && /^E[A-Z0-9_]+$/.test(e.code)) return 'transient';
  if (typeof e?.name === 'string' && e.name.startsWith('KafkaJS')) return 'transient';
  if (CONNECTION_TROUBLE.test(messageOf(error))) return 'transient';
  return 'unknown';
}

/** One line for logs and the dead letter's `aftermath-error` header. */
export function describeFailure(error: unknown): string {
  const state = sqlState(error);
  return state ? `SQLSTATE ${state}: ${messageOf(error)}` : messageOf(error);
}
