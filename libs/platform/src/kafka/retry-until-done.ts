import { messageOf } from '@app/domain';

export interface RetryControl {
  isRunning(): boolean;
  isStale(): boolean;
  heartbeat(): Promise<void>;
  onRetry?(attempt: number, error: unknown, delayMs: number): void;
  /** Errors it returns false for are thrown at once instead of retried (poison: retrying cannot help). */
  isTransient?(error: unknown): boolean;
}

export class BatchAbandoned extends Error {}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Retries `work` with capped exponential backoff until it succeeds. It never skips: it gives up only when
 * the consumer stops or loses the partition, and then the batch is not committed, so it is delivered again,
 * or when `isTransient` says the error is not worth retrying (the caller isolates the poison then).
 */
export async function retryUntilDone<T>(work: () => Promise<T>, control: RetryControl, maxDelayMs = 10_000): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (control.isTransient && !control.isTransient(error)) throw error;
      if (!control.isRunning() || control.isStale()) throw new BatchAbandoned(`batch abandoned after ${attempt} attempt(s): ${messageOf(error)}`);
      const delayMs = Math.min(maxDelayMs, 100 * 2 ** Math.min(attempt - 1, 10));
      control.onRetry?.(attempt, error, delayMs);
      for (let waited = 0; waited < delayMs; waited += 1000) {
        await sleep(Math.min(1000, delayMs - waited));
        await control.heartbeat().catch(() => undefined);
        if (!control.isRunning()) throw new BatchAbandoned('consumer stopping');
      }
    }
  }
}
