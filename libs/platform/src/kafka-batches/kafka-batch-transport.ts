import { Logger } from '@nestjs/common';
import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import type { Batch, Consumer, ConsumerConfig, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { ReadinessCheck } from '../health/health.controller.js';
import { KeyHashPartitioner } from '../kafka/key-hash-partitioner.js';
import { BatchAbandoned, retryUntilDone } from '../kafka/retry-until-done.js';
import { KafkaBatchContext } from './batch-context.js';
import { publishDeadLetters } from './dead-letter-topic.js';
import { classifyFailure, describeFailure, type FailureKind } from './failure-kind.js';
import { processIsolatingPoison, type DeadLetter } from './isolate-poison.js';
import type { PartitionProgress } from './partition-progress.js';
import { UNDECODABLE_BATCH_HEADER } from '../kafka-codecs/undecodable-batch.js';

/** What the service learns about each batch, for its metrics. */
export interface BatchObserver {
  retrying?(partition: number, attempt: number, error: unknown, delayMs: number): void;
  committed?(partition: number, outcome: { messages: number; deadLetters: number; lag: number }): void;
  rebalanced?(): void;
}

export interface KafkaBatchTransportOptions {
  kafka: Kafka;
  consumer: ConsumerConfig;
  /**
   * The broker's topic and the pattern its handler declares with `@EventPattern`: the contract's topic
   * name, which a KAFKA_TOPIC_PREFIX does not change.
   */
  subscription: { topic: string; pattern: string };
  /** Where refused messages go, byte for byte, with the reason in headers. */
  deadLetterTopic: string;
  /** Partitions whose batches may be handled at the same time (default 1). */
  partitionsConcurrently?: number;
  progress: PartitionProgress;
  /** Checked before a message is dead-lettered: while one fails, the failure is retried instead. */
  dependencies: ReadinessCheck[];
  classify?: (error: unknown) => FailureKind;
  observer?: BatchObserver;
}

/**
 * A Nest microservice transport that hands a controller Kafka messages in batches
 * (`@EventPattern(pattern) handle(@Payload() messages: KafkaMessage[], @Ctx() context: KafkaBatchContext)`),
 * with the pipeline's guarantees:
 * - a batch's offsets are committed only after its handler resolved (its transaction committed) and its
 *   dead letters were acknowledged; a crash before that re-delivers it, so handlers must be idempotent;
 * - a transient failure is retried in place with capped backoff (heartbeats continue) while the partition
 *   stays assigned: the partition is held, nothing behind the batch is handed over meanwhile, and it
 *   resumes with the next batch once this one committed; PartitionProgress shows a partition held too long;
 * - a poison failure splits the batch (processIsolatingPoison) and the message at fault goes to the
 *   dead-letter topic with the reason; messages the handler returns as refused go there too;
 * - a consumer kafkajs gives up on (a non-retriable error, such as a coordinator that forgot this member
 *   after a broker crash) is replaced by a new one, with capped backoff: until then readiness says why;
 * - `close()` (app.close(), SIGTERM) stops fetching, lets a running batch finish or abandons its retries
 *   uncommitted, then disconnects.
 */
export class KafkaBatchTransport extends Server implements CustomTransportStrategy {
  private consumer: Consumer | null = null;
  private producer: Producer | null = null;
  private readonly log: Logger;
  private closing = false;
  private replacement: NodeJS.Timeout | null = null;

  constructor(private readonly options: KafkaBatchTransportOptions) {
    super();
    this.log = new Logger(`KafkaBatchTransport ${options.subscription.pattern}`);
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      await this.start();
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.replacement) clearTimeout(this.replacement);
    await this.consumer?.disconnect().catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
    this.consumer = null;
    this.producer = null;
  }

  on(): never {
    throw new Error('KafkaBatchTransport has no status events; see PartitionProgress');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  private async start(): Promise<void> {
    const { kafka, subscription } = this.options;
    const handler = this.getHandlerByPattern(subscription.pattern);
    if (!handler) throw new Error(`no @EventPattern('${subscription.pattern}') handler for ${subscription.topic}`);
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: KeyHashPartitioner });
    await this.producer.connect();
    await this.startConsumer(handler);
  }

  private async startConsumer(handler: MessageHandler): Promise<void> {
    const { kafka, subscription, progress, observer } = this.options;
    const consumer = kafka.consumer(this.options.consumer);
    this.consumer = consumer;
    await consumer.connect();
    consumer.on(consumer.events.GROUP_JOIN, () => {
      progress.forgetAll();
      observer?.rebalanced?.();
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart) return;
      // Readiness answers anyone: it names the topic and the error's kind; the log has the error.
      progress.stopped(subscription.topic, (payload.error as Error | undefined)?.name ?? 'error');
      this.log.error(`the Kafka consumer of ${subscription.topic} stopped: ${describeFailure(payload.error)}`);
      this.replaceConsumer(handler, consumer, 1);
    });
    await consumer.subscribe({ topic: subscription.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConcurrently ?? 1,
      eachBatch: (payload) => this.consume(handler, consumer, payload),
    });
  }

  /**
   * kafkajs restarts its consumer only after retriable errors; after any other it has disconnected and
   * stays idle, which left the process up and consuming nothing (seen after a broker SIGKILL: OffsetCommit
   * answered "The coordinator is not aware of this member"). Nothing is lost: what was not committed is
   * delivered again to the new member.
   */
  private replaceConsumer(handler: MessageHandler, crashed: Consumer, attempt: number): void {
    if (this.closing || this.consumer !== crashed) return;
    const delayMs = Math.min(30_000, 1_000 * 2 ** (attempt - 1));
    this.log.error(`the Kafka consumer stopped for good; starting a new one in ${delayMs} ms (attempt ${attempt})`);
    this.replacement = setTimeout(() => {
      this.replacement = null;
      void (async () => {
        if (this.closing) return;
        await crashed.disconnect().catch(() => undefined);
        try {
          await this.startConsumer(handler);
          this.options.progress.stopped(this.options.subscription.topic, null);
          this.log.log('a new Kafka consumer joined in place of the stopped one');
        } catch (error) {
          this.log.error(`starting a new Kafka consumer failed: ${describeFailure(error)}`);
          if (this.consumer) await this.consumer.disconnect().catch(() => undefined);
          this.replaceConsumer(handler, this.consumer ?? crashed, attempt + 1);
        }
      })();
    }, delayMs);
  }

  private async consume(handler: MessageHandler, consumer: Consumer, { batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    if (batch.messages.length === 0) return;
    const { progress, observer } = this.options;
    const context = new KafkaBatchContext([batch.topic, batch.partition, heartbeat]);
    const retry = <T>(work: () => Promise<T>, isTransient: (error: unknown) => boolean) =>
      retryUntilDone(work, {
        isRunning,
        isStale,
        heartbeat,
        isTransient,
        onRetry: (attempt, error, delayMs) => {
          progress.failing(batch.topic, batch.partition);
          observer?.retrying?.(batch.partition, attempt, error, delayMs);
          this.log.warn(`batch of ${batch.topic}/${batch.partition} failed (attempt ${attempt}), retrying in ${delayMs} ms: ${describeFailure(error)}`);
        },
      });
    try {
      // A dead-letter topic's own consumer keeps placeholders as they are: sending them back to it would loop.
      const { readable, undecodable } = batch.topic === this.options.deadLetterTopic ? { readable: batch.messages, undecodable: [] } : splitUndecodable(batch.messages);
      const refused = await processIsolatingPoison(readable, {
        process: (slice) => this.invoke(handler, slice, context),
        retry,
        classify: this.options.classify ?? classifyFailure,
        dependenciesUp: () => allUp(this.options.dependencies),
      });
      const letters = [...undecodable, ...refused];
      if (letters.length > 0) await retry(() => this.deadLetter(batch, letters), () => true);
      resolveOffset(batch.lastOffset());
      await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(batch.lastOffset()) + 1n).toString() }]);
      progress.moving(batch.topic, batch.partition);
      observer?.committed?.(batch.partition, { messages: batch.messages.length, deadLetters: letters.length, lag: Number(batch.offsetLag()) });
      await heartbeat();
    } catch (error) {
      if (!(error instanceof BatchAbandoned)) throw error;
      // Stopping, or the partition went to another consumer: not committed, so delivered again.
      progress.moving(batch.topic, batch.partition);
      this.log.warn(error.message);
    }
  }

  /** Calls the controller through Nest (pipes, interceptors, filters) and returns the messages it refused. */
  private async invoke(handler: MessageHandler, messages: KafkaMessage[], context: KafkaBatchContext): Promise<DeadLetter[]> {
    const result = await handler(messages, context);
    const refused = isObservable(result) ? await lastValueFrom(result, { defaultValue: undefined }) : result;
    return Array.isArray(refused) ? (refused as DeadLetter[]) : [];
  }

  private async deadLetter(batch: Batch, letters: DeadLetter[]): Promise<void> {
    letters.sort((a, b) => (BigInt(a.message.offset) < BigInt(b.message.offset) ? -1 : 1));
    await publishDeadLetters(this.producer!, this.options.deadLetterTopic, { topic: batch.topic, partition: batch.partition }, letters);
    for (const letter of letters) {
      this.log.warn(`${batch.topic}/${batch.partition}@${letter.message.offset} dead-lettered to ${this.options.deadLetterTopic}: ${letter.reason.slice(0, 500)}`);
    }
  }
}

/** Placeholders a codec put where a record batch could not be decompressed (kafka-codecs/undecodable-batch.ts). */
function splitUndecodable(messages: KafkaMessage[]): { readable: KafkaMessage[]; undecodable: DeadLetter[] } {
  const readable: KafkaMessage[] = [];
  const undecodable: DeadLetter[] = [];
  for (const message of messages) {
    const reason = message.headers?.[UNDECODABLE_BATCH_HEADER];
    if (reason === undefined) readable.push(message);
    else undecodable.push({ message, reason: String(reason) });
  }
  return { readable, undecodable };
}

async function allUp(checks: ReadinessCheck[]): Promise<boolean> {
  try {
    await Promise.all(checks.map((dependency) => dependency.check()));
    return true;
  } catch {
    return false;
  }
}
