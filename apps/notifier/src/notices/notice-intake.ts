import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { summarize } from '@app/domain';
import { DeliveryQueue } from '../deliveries/delivery-queue.js';
import { DeliverySender } from '../deliveries/delivery-sender.js';
import { NotifierMetrics } from '../deliveries/notifier-metrics.js';
import type { IncidentRow } from '../incidents/incident-rows.js';
import { SlackMessages } from '../slack/slack-messages.js';
import { SlackSender } from '../slack/slack-sender.js';
import { draftedNotice, type Notice } from './notice.js';

/**
 * Where notices go once made, in the consumer's transaction: the delivery queue (every target that wants
 * them) and the incidents' Slack messages. The senders are woken after the commit.
 */
@Injectable()
export class NoticeIntake {
  constructor(
    private readonly queue: DeliveryQueue,
    private readonly slack: SlackMessages,
    private readonly deliveries: DeliverySender,
    private readonly slackSender: SlackSender,
    private readonly metrics: NotifierMetrics,
  ) {}

  /**
   * The draft versions waiting for these incidents, as `rca.drafted` notices, once the notifier's own view
   * of an incident is resolved (a draft never arrives before its incident's resolution), in version order.
   */
  async waitingDrafts(manager: EntityManager, incidents: ReadonlyMap<string, IncidentRow>): Promise<Notice[]> {
    const ready = [...incidents.values()].filter((row) => row.mergedInto === null && row.state.eventCount > 0 && !row.state.open).map((row) => row.id);
    if (ready.length === 0) return [];
    const drafts: { incident_id: string; version: number; prepared_on: string; file_name: string; created_at: Date }[] = await manager.query(
      `WITH announced AS (
         UPDATE notifier_drafts SET announced_at = now() WHERE announced_at IS NULL AND incident_id = ANY($1::text[])
         RETURNING incident_id, version, prepared_on, file_name, created_at
       )
       SELECT * FROM announced`,
      [ready],
    );
    return drafts
      .sort((a, b) => a.incident_id.localeCompare(b.incident_id) || a.version - b.version)
      .map((draft) =>
        draftedNotice(summarize(incidents.get(draft.incident_id)!.state), {
          version: draft.version,
          preparedOn: draft.prepared_on,
          fileName: draft.file_name,
          createdAt: draft.created_at.toISOString(),
        }),
      );
  }

  async record(manager: EntityManager, notices: readonly Notice[]): Promise<void> {
    if (notices.length === 0) return;
    await this.queue.enqueue(manager, notices);
    if (this.slackSender.enabled) await this.slack.want(manager, notices.map((notice) => notice.incidentId));
    for (const notice of notices) this.metrics.notices.inc({ type: notice.type });
  }

  /** After the commit: the senders look at once. */
  committed(): void {
    this.deliveries.wake();
    this.slackSender.wake();
  }
}
