import type { Batch, Consumer } from 'kafkajs';
import { BatchAbandoned, retryUntilDone } from './retry-until-done.js';

export interface BatchConsumerOptions {
  topic: string;
  /** Partitions whose batches may be handled at the same time (default 1). */
  partitionsConcurrently?: number;
  /** Handles one partition's batch; must be idempotent, as a crash before the commit re-delivers it. */
  handle(batch: Batch): Promise<void>;
  onRetry(batch: Batch, attempt: number, error: unknown, delayMs: number): void;
  onAbandoned(reason: string): void;
}

/**
 * Runs `handle` for every batch and commits the batch's offsets only after it succeeded. A failing
 * batch is retried with backoff (never skipped) while the consumer owns the partition.
 */
export async function runBatchConsumer(consumer: Consumer, options: BatchConsumerOptions): Promise<void> {
  await consumer.subscribe({ topic: options.topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: options.partitionsConcurrently ?? 1,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      if (batch.messages.length === 0) return;
      try {
        await retryUntilDone(() => options.handle(batch), {
          isRunning,
          isStale,
          heartbeat,
          onRetry: (attempt, error, delayMs) => options.onRetry(batch, attempt, error, delayMs),
        });
      } catch (error) {
        if (error instanceof BatchAbandoned) return options.onAbandoned(error.message);
        throw error;
      }
      resolveOffset(batch.lastOffset());
      await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(batch.lastOffset()) + 1n).toString() }]);
      await heartbeat();
    },
  });
}
