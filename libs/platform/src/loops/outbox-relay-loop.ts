import type { Kafka, Producer } from 'kafkajs';
import { KeyHashPartitioner } from '../kafka/key-hash-partitioner.js';
import { PollingLoop } from './polling-loop.js';

/**
 * A transactional outbox's relay: an idempotent producer and a loop that publishes rounds of at most
 * `batch` rows (`publishOnce`, which deletes them once Kafka acknowledged) until the outbox is empty, then
 * waits `idleMs` or a `wake()`. The timeline's outbox and the renderer's draft outbox run on it.
 */
export abstract class OutboxRelayLoop {
  protected readonly producer: Producer;
  private readonly loop: PollingLoop;

  protected constructor(kafka: Kafka, name: string, batch: number, idleMs: number) {
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: KeyHashPartitioner });
    this.loop = new PollingLoop({ name, step: async () => (await this.publishOnce()) >= batch, idleMs });
  }

  /** Publishes one round; returns how many rows left the outbox. */
  abstract publishOnce(): Promise<number>;

  async start(): Promise<void> {
    await this.producer.connect();
    this.loop.start();
  }

  wake(): void {
    this.loop.wake();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    await this.producer.disconnect().catch(() => undefined);
  }
}
