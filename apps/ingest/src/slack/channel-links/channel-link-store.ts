import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Consumer, Kafka, Producer } from 'kafkajs';
import { channelLinksTopic, ensureChannelLinksTopic, KAFKA, messageOf, serviceUnavailable, whileBrokerSettles } from '@app/platform';
import { INGEST_CONFIG, type IngestConfig } from '../../config.js';
import { channelLinkKey, type ChannelLink, type ChannelLinks } from './channel-link.js';
import { LinkTable } from './link-table.js';
import { parseLinkRecord } from '@app/platform';

export { channelLinksTopic };

/** How long a command waits for the links to be read at start-up before answering that it cannot tell yet. */
const CATCH_UP_WAIT_MS = 2_000;

/**
 * Channel links, event-sourced in Kafka (docs/slack.md says why): each `link` or `declare` appends a
 * record keyed by `<team>/<channel>` to a compacted topic, and every ingest instance reads the topic
 * from the start into memory and keeps following it. Ingest stays without a database, a restart reads
 * the links back, and several instances share them.
 */
@Injectable()
export class ChannelLinkStore implements ChannelLinks, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ChannelLinkStore.name);
  private readonly table = new LinkTable();
  private readonly topic: string;
  private readonly producer: Producer;
  private readonly consumer: Consumer;
  private caughtUp!: Promise<void>;

  constructor(@Inject(KAFKA) private readonly kafka: Kafka, @Inject(INGEST_CONFIG) config: IngestConfig) {
    this.topic = channelLinksTopic(config.KAFKA_TOPIC_PREFIX);
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    // A group of its own per instance: every instance must read every link (no offsets are committed).
    this.consumer = kafka.consumer({ groupId: `${config.KAFKA_TOPIC_PREFIX}aftermath-ingest-slack-links-${randomUUID()}` });
  }

  async onApplicationBootstrap(): Promise<void> {
    await ensureChannelLinksTopic(this.kafka, this.topic);
    await this.producer.connect();
    this.caughtUp = this.follow();
    // Start-up does not wait for the read (a consumer group join can take seconds); commands do.
    this.caughtUp.catch((error: Error) => this.logger.error(`reading ${this.topic} failed: ${error.message}`));
  }

  async get(teamId: string, channelId: string): Promise<ChannelLink | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(serviceUnavailable(`the Slack channel links are still being read from ${this.topic}`)), CATCH_UP_WAIT_MS);
    });
    try {
      await Promise.race([this.caughtUp, timeout]);
    } finally {
      clearTimeout(timer);
    }
    return this.table.get(teamId, channelId);
  }

  /** Resolves once Kafka acknowledged the record (acks=all), like every event ingest accepts. */
  async set(link: ChannelLink): Promise<void> {
    const key = channelLinkKey(link.teamId, link.channelId);
    try {
      const [written] = await this.producer.send({ topic: this.topic, acks: -1, messages: [{ key, value: JSON.stringify(link) }] });
      this.table.apply(key, link, BigInt(written?.baseOffset ?? '0'));
    } catch (error) {
      throw serviceUnavailable(`Kafka cannot take the channel link now; retry later (${messageOf(error)})`, error);
    }
  }

  /** Reads the topic from its start; resolves when every partition reached the end it had when reading began. */
  private async follow(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    const ends = await whileBrokerSettles(() => admin.fetchTopicOffsets(this.topic)).finally(() => admin.disconnect());
    const pending = new Map(ends.filter((end) => BigInt(end.high) > BigInt(end.low)).map((end) => [end.partition, BigInt(end.high)]));
    let markCaughtUp!: () => void;
    const caughtUp = new Promise<void>((resolve) => (markCaughtUp = resolve));
    if (pending.size === 0) markCaughtUp();
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          if (!message.key) continue;
          const link = message.value === null ? null : parseLinkRecord(message.value);
          if (message.value !== null && link === null) {
            this.logger.warn(`skipped an unreadable channel link record at offset ${message.offset} of ${this.topic}`);
            continue;
          }
          this.table.apply(message.key.toString('utf8'), link, BigInt(message.offset));
        }
        const end = pending.get(batch.partition);
        if (end !== undefined && BigInt(batch.lastOffset()) + 1n >= end) {
          pending.delete(batch.partition);
          if (pending.size === 0) {
            this.logger.log(`read ${this.table.size} Slack channel link(s) from ${this.topic}`);
            markCaughtUp();
          }
        }
      },
    });
    await caughtUp;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer.disconnect().catch(() => undefined);
    await this.producer.disconnect().catch(() => undefined);
  }
}
