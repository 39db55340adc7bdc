import { Controller, Inject, UseFilters } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { KafkaMessage } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { decodeCorrelatedEvents, KafkaBatchContext, RethrowToTransport, type CorrelatedEvent, type DeadLetter } from '@app/platform';
import { DraftRelay } from '../drafts/draft-relay.js';
import { DraftWriter } from '../drafts/draft-writer.js';
import { utcToday } from '../rendering/utc-today.js';
import { RendererMetrics } from '../drafts/renderer-metrics.js';
import { RendererStore } from '../store/renderer-store.js';
import { DATA_SOURCE } from '../tokens.js';

/** The pattern of `incident-timeline.v1`'s handler: the contract's topic name, whatever KAFKA_TOPIC_PREFIX says. */
export const TIMELINE_PATTERN = 'incident-timeline.v1';

/**
 * Consumes incident-timeline.v1 (KafkaBatchTransport, its own group). For each batch, one transaction
 * stores (or moves) the events, projects the incidents they belong or belonged to (folding a batch of newer
 * events onto the stored state where that is projecting the whole set, RendererStore.reproject) and stores a
 * new draft version of each resolved one that changed. Messages that are not correlated events are returned as dead letters.
 */
@Controller()
@UseFilters(RethrowToTransport)
export class TimelineController {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly store: RendererStore,
    private readonly drafts: DraftWriter,
    private readonly metrics: RendererMetrics,
    private readonly draftRelay: DraftRelay,
  ) {}

  @EventPattern<string>(TIMELINE_PATTERN)
  async consume(@Payload() messages: KafkaMessage[], @Ctx() _context: KafkaBatchContext): Promise<DeadLetter[]> {
    const { events, deadLetters } = decodeCorrelatedEvents(messages);
    if (events.length > 0) await this.storeAndDraft(events);
    return deadLetters;
  }

  private async storeAndDraft(decoded: CorrelatedEvent[]): Promise<void> {
    const timer = this.metrics.batchSeconds.startTimer();
    const { states, folded, drafted } = await this.dataSource.transaction(async (manager) => {
      const { placements, targets, reopened } = await this.store.followMerges(manager, decoded);
      const stored = await this.store.storeEvents(manager, placements);
      const touched = [...new Set([...stored.touched, ...targets])];
      await this.store.lockIncidents(manager, touched);
      // A merge's target and a merged incident holding events again changed beyond what storeEvents saw.
      const changedOtherwise = new Set([...targets, ...reopened]);
      const appended = new Map([...stored.appended].filter(([id]) => !changedOtherwise.has(id)));
      const projected = await this.store.reproject(manager, touched, appended);
      const held = new Set(projected.states.map((state) => state.id));
      await this.store.forgetEmptied(manager, touched.filter((id) => !held.has(id)));
      const preparedOn = utcToday();
      const drafted = await this.drafts.write(manager, projected.states, () => preparedOn);
      return { ...projected, drafted };
    });
    if (drafted > 0) this.draftRelay.wake();
    this.metrics.projections.inc({ from: 'state' }, folded);
    this.metrics.projections.inc({ from: 'events' }, states.length - folded);
    timer();
    this.metrics.eventsStored.inc(decoded.length);
  }
}
