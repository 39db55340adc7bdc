import { Controller, Inject, UseFilters } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KafkaMessage } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { KafkaBatchContext, RethrowToTransport, type DeadLetter } from '@app/platform';
import { RENDERER_CONFIG, type RendererConfig } from '../config.js';
import { RcaDrafts } from '../drafts/rca-drafts.js';
import { utcToday } from '../rendering/utc-today.js';
import { RendererMetrics } from '../drafts/renderer-metrics.js';
import { RendererStore, type CorrelatedEvent } from '../store/renderer-store.js';
import { DATA_SOURCE } from '../tokens.js';
import { decodeCorrelatedEvents } from './decode-correlated-events.js';

/** The pattern of `incident-timeline.v1`'s handler: the contract's topic name, whatever KAFKA_TOPIC_PREFIX says. */
export const TIMELINE_PATTERN = 'incident-timeline.v1';

/**
 * Consumes incident-timeline.v1 (KafkaBatchTransport, its own group). For each batch, one transaction
 * stores the events, re-projects the incidents they belong to and stores a new draft version of each
 * resolved one that changed. Messages that are not correlated events are returned as dead letters.
 */
@Controller()
@UseFilters(RethrowToTransport)
export class TimelineController {
  constructor(
    @Inject(RENDERER_CONFIG) private readonly config: RendererConfig,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly store: RendererStore,
    private readonly drafts: RcaDrafts,
    private readonly metrics: RendererMetrics,
  ) {}

  @EventPattern<string>(TIMELINE_PATTERN)
  async consume(@Payload() messages: KafkaMessage[], @Ctx() _context: KafkaBatchContext): Promise<DeadLetter[]> {
    const { events, deadLetters } = decodeCorrelatedEvents(messages);
    if (events.length > 0) await this.storeAndDraft(events);
    return deadLetters;
  }

  private async storeAndDraft(decoded: CorrelatedEvent[]): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const { events, targets } = await this.store.followMerges(manager, decoded);
      const touched = [...new Set([...(await this.store.storeEvents(manager, events)), ...targets])];
      const resolved = (await this.store.reproject(manager, touched)).filter((state) => !state.open);
      if (resolved.length > 0) {
        const preparedOn = utcToday();
        const previous = await this.store.previousIncidents(resolved, manager);
        const rendered = resolved.map((state) => ({ state, ...this.drafts.rca(state, previous.get(state.id) ?? null, preparedOn) }));
        const versions = await this.store.saveDrafts(
          manager,
          rendered.map(({ state, view, markdown }) => ({ incidentId: state.id, preparedOn, fileName: view.fileName, markdown })),
        );
        this.metrics.draftsWritten.inc(versions.size);
        // Written before the commit: a failed commit re-delivers the batch, which rewrites the same files.
        if (this.config.RCA_OUTPUT_DIR) {
          for (const { state, view, markdown } of rendered) {
            if (versions.has(state.id)) await writeAtomically(this.config.RCA_OUTPUT_DIR, `${view.date}-${view.slug}.md`, markdown);
          }
        }
      }
    });
    this.metrics.eventsStored.inc(decoded.length);
  }
}

async function writeAtomically(folder: string, fileName: string, content: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  const temporary = join(folder, `.${fileName}.${process.pid}.tmp`);
  await writeFile(temporary, content, 'utf8');
  await rename(temporary, join(folder, fileName));
}
