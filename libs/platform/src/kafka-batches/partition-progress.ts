import { Gauge, type Registry } from 'prom-client';
import type { ReadinessCheck } from '../health/health.controller.js';

/**
 * Which partitions of this consumer are not moving: a batch that keeps failing is retried in place, and
 * everything behind it on its partition waits. Exposed as a gauge (seconds since the partition's batch
 * first failed, 0 when moving) and through readiness: not ready once a batch has been retried longer than
 * `stalledAfterSeconds`, or while a consumer kafkajs gave up on waits to be replaced.
 */
export class PartitionProgress {
  private readonly failingSince = new Map<string, number>();
  /** Consumers kafkajs gave up on, by topic, with a short reason (an error's name, never its text). */
  private readonly crashed = new Map<string, string>();

  constructor(
    registry: Registry,
    private readonly stalledAfterSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    const progress = this;
    new Gauge({
      name: 'aftermath_consumer_partition_stalled_seconds',
      help: 'Seconds since the batch a partition is retrying first failed (0: the partition is moving)',
      labelNames: ['topic', 'partition'],
      registers: [registry],
      collect() {
        this.reset();
        for (const [key, since] of progress.failingSince) {
          const [topic, partition] = splitKey(key);
          this.set({ topic, partition }, (progress.now() - since) / 1000);
        }
      },
    });
  }

  /** A batch of this partition failed and will be retried. */
  failing(topic: string, partition: number): void {
    const key = `${topic}|${partition}`;
    if (!this.failingSince.has(key)) this.failingSince.set(key, this.now());
  }

  /** The partition's batch committed, or the partition went to another consumer. */
  moving(topic: string, partition: number): void {
    this.failingSince.delete(`${topic}|${partition}`);
  }

  /** After a rebalance this consumer may own other partitions. */
  forgetAll(): void {
    this.failingSince.clear();
  }

  /** The consumer of `topic` gave up (kafkajs will not restart it): nothing moves until a new one joined (null). */
  stopped(topic: string, reason: string | null): void {
    if (reason === null) this.crashed.delete(topic);
    else this.crashed.set(topic, reason);
  }

  /** Partitions retrying longer than the threshold, as `topic/partition for N s`. */
  stalled(): string[] {
    const limitMs = this.stalledAfterSeconds * 1000;
    return [...this.failingSince]
      .filter(([, since]) => this.now() - since >= limitMs)
      .map(([key, since]) => `${splitKey(key).join('/')} retrying for ${Math.round((this.now() - since) / 1000)} s`);
  }

  readiness(): ReadinessCheck {
    return {
      name: 'consumer',
      check: async () => {
        if (this.crashed.size > 0) throw new Error(`consumer stopped: ${[...this.crashed].map(([topic, reason]) => `${topic} (${reason})`).join(', ')}; a new one is starting`);
        const stalled = this.stalled();
        if (stalled.length > 0) throw new Error(`partition not moving: ${stalled.join(', ')}`);
      },
    };
  }
}

function splitKey(key: string): [string, string] {
  const at = key.lastIndexOf('|');
  return [key.slice(0, at), key.slice(at + 1)];
}
