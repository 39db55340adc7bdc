import type { KafkaMessage } from 'kafkajs';
import { BatchAbandoned } from '../kafka/retry-until-done.js';
import { describeFailure, type FailureKind } from './failure-kind.js';

/** A message the pipeline cannot take, on its way to the dead-letter topic with the reason. */
export interface DeadLetter {
  message: KafkaMessage;
  reason: string;
  /** The envelope fields at fault, when validation named them. */
  fields?: string[];
}

/** When a failure of unknown kind counts as a bug: after this many failures in a row, over at least this long. */
export interface BugRule {
  attempts: number;
  ms: number;
}

/** Five failures in a row over at least ten seconds, every dependency up: well before CONSUMER_STALL_SECONDS. */
export const DEFAULT_BUG_RULE: BugRule = { attempts: 5, ms: 10_000 };

export interface PoisonIsolation {
  /**
   * Runs one slice of a batch in its own transaction. Resolves with the messages it refused without
   * failing (undecodable ones); rejects when the slice could not be stored.
   */
  process(slice: KafkaMessage[]): Promise<DeadLetter[]>;
  /** Runs `work`, retrying the errors `isTransient` accepts with backoff; throws the others. */
  retry<T>(work: () => Promise<T>, isTransient: (error: unknown) => boolean): Promise<T>;
  classify(error: unknown): FailureKind;
  /**
   * Asked before a message is dead-lettered: false while a dependency is down, so that an unexpected
   * error during an outage is retried instead of costing an event.
   */
  dependenciesUp(): Promise<boolean>;
  /** Default DEFAULT_BUG_RULE. */
  bugRule?: BugRule;
  now?: () => number;
}

/** Thrown inside a retried leaf: the failure may heal, try the message again later. */
class RetryLater extends Error {}

/**
 * Processes a batch so that no single message can stop it: transient failures are retried in place; a
 * poison failure splits the slice in halves, each processed in its own transaction, until the message at
 * fault is alone, and that one becomes a dead letter. Slices run in offset order, so the good messages
 * are stored in order and once each (a half that already committed is a no-op if the batch is delivered
 * again after a crash). One poison message among n costs about 2 log2(n) extra transactions.
 *
 * A failure of unknown kind (a plain Error from a bug) is retried in place until it has failed the batch
 * `bugRule.attempts` times in a row over at least `bugRule.ms`, and then, if every dependency answers, is
 * taken for a bug and isolated like poison; while a dependency is down it is never taken for one, so an
 * outage is retried as long as it lasts. Once a batch is being split, an unknown failure splits a slice at
 * once, and a message alone is dead-lettered with the error after failing `bugRule.attempts` times in a row.
 */
export async function processIsolatingPoison(messages: KafkaMessage[], isolation: PoisonIsolation): Promise<DeadLetter[]> {
  const rule = isolation.bugRule ?? DEFAULT_BUG_RULE;
  const now = isolation.now ?? Date.now;
  const dependenciesUp = () => isolation.dependenciesUp().catch(() => false);

  /** Retries `work` while its failure may heal; throws one that is poison, or an unknown one repeated past `streak`. */
  const settle = async <T>(work: () => Promise<T>, streak: BugRule): Promise<T> => {
    for (;;) {
      let failures = 0;
      let since = 0;
      const mayHeal = (error: unknown) => {
        if (error instanceof BatchAbandoned) return false;
        const kind = isolation.classify(error);
        if (kind !== 'unknown') {
          failures = 0;
          return kind === 'transient';
        }
        if (failures++ === 0) since = now();
        return failures < streak.attempts || now() - since < streak.ms;
      };
      try {
        return await isolation.retry(work, mayHeal);
      } catch (error) {
        if (error instanceof BatchAbandoned || isolation.classify(error) !== 'unknown' || (await dependenciesUp())) throw error;
        // A dependency is down: the repeated failure may be the outage, not a bug. Count again from zero.
      }
    }
  };

  const leaf = (message: KafkaMessage, streak: BugRule) =>
    settle(
      () =>
        isolation.retry(
          async () => {
            try {
              return await isolation.process([message]);
            } catch (error) {
              if (isolation.classify(error) === 'transient' || !(await dependenciesUp())) throw new RetryLater(describeFailure(error), { cause: error });
              throw error;
            }
          },
          (error) => error instanceof RetryLater,
        ),
      streak,
    ).catch((error: unknown) => {
      if (error instanceof BatchAbandoned) throw error;
      return [{ message, reason: describeFailure(error) }];
    });

  const run = async (slice: KafkaMessage[], splitting: boolean): Promise<DeadLetter[]> => {
    const streak = splitting ? { attempts: rule.attempts, ms: 0 } : rule;
    if (slice.length === 1) return leaf(slice[0]!, streak);
    try {
      return await settle(() => isolation.process(slice), splitting ? { attempts: 1, ms: 0 } : rule);
    } catch (error) {
      if (error instanceof BatchAbandoned) throw error;
      const middle = Math.ceil(slice.length / 2);
      return [...(await run(slice.slice(0, middle), true)), ...(await run(slice.slice(middle), true))];
    }
  };

  return messages.length === 0 ? [] : run(messages, false);
}
