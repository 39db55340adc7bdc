import { Controller, Inject, Logger, UseFilters } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { KafkaMessage } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { decodeCorrelatedEvents, KafkaBatchContext, RethrowToTransport, type DeadLetter } from '@app/platform';
import { NoticeIntake } from '../notices/notice-intake.js';
import { DATA_SOURCE } from '../tokens.js';
import { AnnounceIncidents } from './announce-incidents.js';

/** The pattern of `incident-timeline.v1`'s handler: the contract's topic name, whatever KAFKA_TOPIC_PREFIX says. */
export const TIMELINE_PATTERN = 'incident-timeline.v1';

/**
 * Consumes incident-timeline.v1 in its own group: one transaction per batch stores the events, projects the
 * incidents they touch, and queues the notices (and draft versions that waited for a resolution). Nothing
 * here sends anything, so no receiver can hold the consumer up. A message that is not a correlated event is
 * skipped with a warning: the renderer keeps the same message aside in incident-timeline.dlq.v1.
 */
@Controller()
@UseFilters(RethrowToTransport)
export class TimelineController {
  private readonly logger = new Logger('TimelineController');

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly incidents: AnnounceIncidents,
    private readonly intake: NoticeIntake,
  ) {}

  @EventPattern<string>(TIMELINE_PATTERN)
  async consume(@Payload() messages: KafkaMessage[], @Ctx() context: KafkaBatchContext): Promise<DeadLetter[]> {
    const { events, deadLetters } = decodeCorrelatedEvents(messages);
    for (const letter of deadLetters) this.logger.warn(`skipped offset ${letter.message.offset} of ${context.getTopic()}/${context.getPartition()}: ${letter.reason}`);
    if (events.length === 0) return [];
    await this.dataSource.transaction(async (manager) => {
      const { notices, incidents } = await this.incidents.apply(manager, events);
      const touched = new Map([...incidents].filter(([id]) => notices.some((n) => n.incidentId === id) || events.some((e) => e.incidentId === id)));
      await this.intake.record(manager, [...notices, ...(await this.intake.waitingDrafts(manager, touched))]);
    });
    this.intake.committed();
    return [];
  }
}
