import { Inject, Injectable, Logger } from '@nestjs/common';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Batch, Consumer, Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { parseEvent } from '@app/domain';
import { KAFKA, runBatchConsumer, TOPICS, type Topics } from '@app/platform';
import { RENDERER_CONFIG, type RendererConfig } from '../config.js';
import { RcaDrafts, utcToday } from '../drafts/rca-drafts.js';
import { RendererMetrics } from '../drafts/renderer-metrics.js';
import { RendererStore, type CorrelatedEvent } from '../store/renderer-store.js';
import { DATA_SOURCE } from '../tokens.js';

/**
 * Consumes incident-timeline.v1 with its own group. For each batch, one transaction stores the events,
 * re-projects the incidents they belong to and stores a new draft version of each resolved one that changed.
 */
@Injectable()
export class TimelineConsumer {
  private readonly logger = new Logger('RendererConsumer');
  private readonly consumer: Consumer;

  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(TOPICS) private readonly topics: Topics,
    @Inject(RENDERER_CONFIG) private readonly config: RendererConfig,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly store: RendererStore,
    private readonly drafts: RcaDrafts,
    private readonly metrics: RendererMetrics,
  ) {
    // Drafts are read by people, minutes after a resolution: the broker may hold a fetch up to 2 s until
    // 512 KiB are there, so that a busy pipeline hands over fewer, fuller batches, each incident touched
    // once per batch instead of once per event (bench/e2e.mjs: +20 % end-to-end throughput, since the
    // renderer shares the machine). 256 KiB per partition bounds what one transaction holds in memory.
    this.consumer = kafka.consumer({
      groupId: config.RENDERER_CONSUMER_GROUP,
      maxWaitTimeInMs: 2000,
      minBytes: 512 * 1024,
      maxBytesPerPartition: 256 * 1024,
    });
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await runBatchConsumer(this.consumer, {
      topic: this.topics.timeline,
      handle: (batch) => this.handle(batch),
      onRetry: (batch, attempt, error, delayMs) =>
        this.logger.warn(`timeline batch of partition ${batch.partition} failed (attempt ${attempt}), retrying in ${delayMs} ms: ${(error as Error).message}`),
      onAbandoned: (reason) => this.logger.warn(reason),
    });
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect().catch(() => undefined);
  }

  private async handle(batch: Batch): Promise<void> {
    const events = batch.messages.flatMap((message) => this.decode(message.value));
    await this.dataSource.transaction(async (manager) => {
      const touched = await this.store.storeEvents(manager, events);
      this.metrics.eventsStored.inc(events.length);
      const resolved = (await this.store.reproject(manager, touched)).filter((state) => !state.open);
      if (resolved.length === 0) return;
      const preparedOn = utcToday();
      const previous = await this.store.previousIncidents(resolved, manager);
      const rendered = resolved.map((state) => ({ state, ...this.drafts.rca(state, previous.get(state.id) ?? null, preparedOn) }));
      const versions = await this.store.saveDrafts(
        manager,
        rendered.map(({ state, view, markdown }) => ({ incidentId: state.id, preparedOn, fileName: view.fileName, markdown })),
      );
      this.metrics.draftsWritten.inc(versions.size);
      if (!this.config.RCA_OUTPUT_DIR) return;
      // Written before the commit: a failed commit re-delivers the batch, which rewrites the same files.
      for (const { state, view, markdown } of rendered) {
        if (versions.has(state.id)) await writeAtomically(this.config.RCA_OUTPUT_DIR, `${view.date}-${view.slug}.md`, markdown);
      }
    });
  }

  private decode(value: Buffer | null): CorrelatedEvent[] {
    try {
      const { incidentId, ...envelope } = JSON.parse(value?.toString('utf8') ?? 'null') as { incidentId?: unknown };
      const parsed = parseEvent(envelope);
      if (typeof incidentId === 'string' && parsed.ok) return [{ incidentId, event: parsed.event }];
    } catch {
      // fall through: logged below
    }
    this.logger.error(`skipping a message of ${this.topics.timeline} that is not a correlated event`);
    return [];
  }
}

async function writeAtomically(folder: string, fileName: string, content: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  const temporary = join(folder, `.${fileName}.${process.pid}.tmp`);
  await writeFile(temporary, content, 'utf8');
  await rename(temporary, join(folder, fileName));
}
