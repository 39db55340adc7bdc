import type { KafkaMessage } from 'kafkajs';
import { describeFailure, type FailureKind } from './failure-kind.js';

/** A message the pipeline cannot take, on its way to the dead-letter topic with the reason. */
export interface DeadLetter {
  message: KafkaMessage;
  reason: string;
  /** The envelope fields at fault, when validation named them. */
  fields?: string[];
}

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
}

/** Thrown inside a retried leaf: the failure may heal, try the message again later. */
class RetryLater extends Error {}

/**
 * Processes a batch so that no single message can stop it: transient failures are retried in place; a
 * poison failure splits the slice in halves, each processed in its own transaction, until the message at
 * fault is alone, and that one becomes a dead letter. Slices run in offset order, so the good messages
 * are stored in order and once each (a half that already committed is a no-op if the batch is delivered
 * again after a crash). One poison message among n costs about 2 log2(n) extra transactions.
 */
export async function processIsolatingPoison(messages: KafkaMessage[], isolation: PoisonIsolation): Promise<DeadLetter[]> {
  const isTransient = (error: unknown) => isolation.classify(error) === 'transient';

  const leaf = (message: KafkaMessage) =>
    isolation.retry(
      async () => {
        try {
          return await isolation.process([message]);
        } catch (error) {
          if (isTransient(error) || !(await isolation.dependenciesUp().catch(() => false))) {
            throw new RetryLater(describeFailure(error), { cause: error });
          }
          return [{ message, reason: describeFailure(error) }];
        }
      },
      (error) => error instanceof RetryLater,
    );

  const run = async (slice: KafkaMessage[]): Promise<DeadLetter[]> => {
    if (slice.length === 1) return leaf(slice[0]!);
    try {
      return await isolation.retry(() => isolation.process(slice), isTransient);
    } catch (error) {
      if (isTransient(error)) throw error;
      const middle = Math.ceil(slice.length / 2);
      return [...(await run(slice.slice(0, middle))), ...(await run(slice.slice(middle)))];
    }
  };

  return messages.length === 0 ? [] : run(messages);
}
