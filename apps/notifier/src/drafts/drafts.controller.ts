import { Controller, Inject, Logger, UseFilters } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { KafkaMessage } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { ADVISORY_LOCKS, KafkaBatchContext, lockIncidents, messageJson, rcaDraftMessageSchema, RethrowToTransport, type DeadLetter, type RcaDraftMessage } from '@app/platform';
import { readIncidents } from '../incidents/incident-rows.js';
import { NoticeIntake } from '../notices/notice-intake.js';
import { DATA_SOURCE } from '../tokens.js';

/** The pattern of `rca-drafts.v1`'s handler: the contract's topic name, whatever KAFKA_TOPIC_PREFIX says. */
export const DRAFTS_PATTERN = 'rca-drafts.v1';

/**
 * Consumes rca-drafts.v1 (the renderer's new draft versions) in its own group: each version is kept and
 * announced as `rca.drafted` once the notifier's view of the incident is resolved, after the incident's own
 * notices, whichever of the two topics it reads first. A message that is not a draft version is skipped.
 */
@Controller()
@UseFilters(RethrowToTransport)
export class DraftsController {
  private readonly logger = new Logger('DraftsController');

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly intake: NoticeIntake,
  ) {}

  @EventPattern<string>(DRAFTS_PATTERN)
  async consume(@Payload() messages: KafkaMessage[], @Ctx() context: KafkaBatchContext): Promise<DeadLetter[]> {
    const drafts: RcaDraftMessage[] = [];
    for (const message of messages) {
      const decoded = messageJson(message);
      const parsed = decoded.ok ? rcaDraftMessageSchema.safeParse(decoded.json) : null;
      if (parsed?.success) drafts.push(parsed.data);
      else this.logger.warn(`skipped offset ${message.offset} of ${context.getTopic()}/${context.getPartition()}: not a draft version`);
    }
    if (drafts.length === 0) return [];
    await this.dataSource.transaction(async (manager) => {
      const ids = [...new Set(drafts.map((draft) => draft.incidentId))];
      await lockIncidents(manager, ADVISORY_LOCKS.notifierIncident, ids);
      await manager.query(
        `INSERT INTO notifier_drafts (incident_id, version, prepared_on, file_name, created_at)
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS d(incident_id text, version integer, prepared_on text, file_name text, created_at timestamptz)
         ON CONFLICT DO NOTHING`,
        [JSON.stringify(drafts.map((d) => ({ incident_id: d.incidentId, version: d.version, prepared_on: d.preparedOn, file_name: d.fileName, created_at: d.createdAt })))],
      );
      await this.intake.record(manager, await this.intake.waitingDrafts(manager, await readIncidents(manager, ids)));
    });
    this.intake.committed();
    return [];
  }
}
