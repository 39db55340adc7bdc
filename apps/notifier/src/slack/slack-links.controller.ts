import { Controller, Inject, UseFilters } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { KafkaMessage } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { KafkaBatchContext, parseLinkRecord, RethrowToTransport, type DeadLetter } from '@app/platform';
import { DATA_SOURCE } from '../tokens.js';

export const SLACK_LINKS_PATTERN = 'slack-channel-links.v1';

/**
 * Follows ingest's channel links (the compacted slack-channel-links.v1, one record per channel; an empty
 * value unlinks) into notifier_slack_links, so an incident's message goes to the channel people linked to it.
 */
@Controller()
@UseFilters(RethrowToTransport)
export class SlackLinksController {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  @EventPattern<string>(SLACK_LINKS_PATTERN)
  async consume(@Payload() messages: KafkaMessage[], @Ctx() _context: KafkaBatchContext): Promise<DeadLetter[]> {
    // The latest record of each channel in the batch (one partition: offsets are in order).
    const latest = new Map<string, KafkaMessage>();
    for (const message of messages) if (message.key) latest.set(message.key.toString('utf8'), message);
    // An unreadable record (an older or foreign shape) is passed over, as ingest does.
    const links = [...latest]
      .map(([key, message]) => ({ key, link: message.value === null ? null : parseLinkRecord(message.value), unreadable: message.value !== null && parseLinkRecord(message.value) === null }))
      .filter((entry) => !entry.unreadable);
    await this.dataSource.query('DELETE FROM notifier_slack_links WHERE link_key = ANY($1::text[])', [links.filter((l) => l.link === null).map((l) => l.key)]);
    const kept = links.filter((l) => l.link !== null);
    if (kept.length > 0) {
      await this.dataSource.query(
        `INSERT INTO notifier_slack_links (link_key, channel_id, incident_ref, linked_at)
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS l(link_key text, channel_id text, incident_ref text, linked_at timestamptz)
         ON CONFLICT (link_key) DO UPDATE SET channel_id = excluded.channel_id, incident_ref = excluded.incident_ref, linked_at = excluded.linked_at`,
        [JSON.stringify(kept.map(({ key, link }) => ({ link_key: key, channel_id: link!.channelId, incident_ref: link!.incidentRef, linked_at: link!.linkedAt })))],
      );
    }
    return [];
  }
}
