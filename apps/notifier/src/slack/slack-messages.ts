import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { IncidentState } from '@app/domain';
import { DATA_SOURCE } from '../tokens.js';
import type { SlackMessageContext } from './slack-message.js';

/** An incident's Slack message due to be posted or brought up to date. */
export interface DueMessage {
  incidentId: string;
  channel: string | null;
  ts: string | null;
  wanted: number;
  attempts: number;
  state: IncidentState;
  context: SlackMessageContext;
  /** Channels linked to the incident (by its id or a key), newest link first. */
  linkedChannels: string[];
}

/**
 * The table of incidents' Slack messages: `wanted` counts the notices about an incident, `posted` how many
 * its message shows. A notice asks for the message to be brought up to date; the sender renders the
 * incident as it is then, so a burst of notices costs one chat.update, and a wait Slack asked for
 * (429 Retry-After) is kept.
 */
@Injectable()
export class SlackMessages {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  async want(manager: EntityManager, incidentIds: readonly string[]): Promise<void> {
    if (incidentIds.length === 0) return;
    await manager.query(
      `INSERT INTO notifier_slack_messages (incident_id) SELECT DISTINCT unnest($1::text[])
       ON CONFLICT (incident_id) DO UPDATE SET wanted = notifier_slack_messages.wanted + 1,
         next_attempt_at = CASE WHEN notifier_slack_messages.posted >= notifier_slack_messages.wanted THEN now() ELSE notifier_slack_messages.next_attempt_at END`,
      [incidentIds],
    );
  }

  /** Claims messages due, with the incident as the notifier knows it now. */
  async claim(limit: number, leaseSeconds: number): Promise<DueMessage[]> {
    const rows: {
      incident_id: string; channel: string | null; ts: string | null; wanted: number; attempts: number;
      state: IncidentState; merged_into: string | null; draft_version: number | null; linked: string[] | null;
    }[] = await this.dataSource.query(
      `WITH due AS (
         UPDATE notifier_slack_messages m SET lease_until = now() + make_interval(secs => $2)
         FROM (SELECT incident_id FROM notifier_slack_messages
               WHERE wanted > posted AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())
               ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED) picked
         WHERE m.incident_id = picked.incident_id
         RETURNING m.*
       )
       SELECT d.incident_id, d.channel, d.ts, d.wanted, d.attempts, i.state, i.merged_into,
         (SELECT max(version) FROM notifier_drafts r WHERE r.incident_id = d.incident_id AND r.announced_at IS NOT NULL) AS draft_version,
         (SELECT array_agg(l.channel_id ORDER BY l.linked_at DESC) FROM notifier_slack_links l
          WHERE l.incident_ref = d.incident_id OR l.incident_ref = ANY(ARRAY(SELECT jsonb_array_elements_text(i.state->'keys')))) AS linked
       FROM due d JOIN notifier_incidents i ON i.id = d.incident_id`,
      [limit, leaseSeconds],
    );
    return rows.map((row) => ({
      incidentId: row.incident_id,
      channel: row.channel,
      ts: row.ts,
      wanted: row.wanted,
      attempts: row.attempts,
      state: row.state,
      context: { mergedInto: row.merged_into, draftVersion: row.draft_version },
      linkedChannels: row.linked ?? [],
    }));
  }

  /** The message now shows what was wanted when it was claimed. */
  async posted(incidentId: string, wanted: number, channel: string | null, ts: string | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE notifier_slack_messages SET posted = $2, channel = COALESCE($3, channel), ts = COALESCE($4, ts), attempts = 0, last_error = NULL, lease_until = NULL
       WHERE incident_id = $1`,
      [incidentId, wanted, channel, ts],
    );
  }

  async retryLater(incidentId: string, delaySeconds: number, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE notifier_slack_messages SET attempts = attempts + 1, last_error = $3, lease_until = NULL, next_attempt_at = now() + make_interval(secs => $2)
       WHERE incident_id = $1`,
      [incidentId, delaySeconds, error],
    );
  }
}
