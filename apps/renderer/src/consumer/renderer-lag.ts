import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Admin, Kafka } from 'kafkajs';
import { Gauge, type Registry } from 'prom-client';
import { KAFKA, METRICS_REGISTRY, TOPICS, type Topics } from '@app/platform';
import { RENDERER_CONFIG, type RendererConfig } from '../config.js';

/**
 * `aftermath_renderer_consumer_lag`: messages of incident-timeline.v1 past the renderer group's committed
 * offset, per partition. Read from the broker when scraped, not after each batch, so a renderer that is
 * stuck (a batch failing over and over, a process hung) shows a growing lag instead of its last good value.
 * Every instance reports the group's figure, the same for all of them.
 */
@Injectable()
export class RendererLag implements OnApplicationShutdown {
  private admin: Promise<Admin> | null = null;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(TOPICS) private readonly topics: Topics,
    @Inject(RENDERER_CONFIG) private readonly config: RendererConfig,
    @Inject(METRICS_REGISTRY) registry: Registry,
  ) {
    const read = () => this.read();
    new Gauge({
      name: 'aftermath_renderer_consumer_lag',
      help: 'Messages of incident-timeline.v1 not yet committed by the renderer group, per partition (read from the broker when scraped)',
      labelNames: ['partition'],
      registers: [registry],
      async collect() {
        try {
          for (const [partition, lag] of await read()) this.set({ partition: String(partition) }, lag);
        } catch {
          // Kafka unreachable: keep the last values; /health/ready reports the outage.
        }
      },
    });
  }

  private async read(): Promise<Map<number, number>> {
    this.admin ??= this.connect();
    const admin = await this.admin;
    const topic = this.topics.timeline;
    const [ends, [committed]] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId: this.config.RENDERER_CONSUMER_GROUP, topics: [topic] })]);
    const done = new Map((committed?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
    // No committed offset yet (-1): the group starts from the beginning, so all that is retained is behind.
    return new Map(ends.map((end) => [end.partition, Number(end.high) - Math.max(done.get(end.partition) ?? -1, Number(end.low))]));
  }

  private async connect(): Promise<Admin> {
    const admin = this.kafka.admin({ retry: { retries: 0 } });
    try {
      await admin.connect();
      return admin;
    } catch (error) {
      this.admin = null;
      throw error;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const admin = await this.admin?.catch(() => null);
    await admin?.disconnect().catch(() => undefined);
  }
}
