import { Inject, Injectable } from '@nestjs/common';
import { INGEST_CONFIG, type IngestConfig } from '../../config.js';
import { EventPublisher } from '../../publishing/event-publisher.js';
import type { ChannelLinks } from '../channel-links/channel-link.js';
import { CHANNEL_LINKS } from '../channel-links/channel-links.token.js';
import { notRecordedReason } from '../not-recorded.js';
import { planCommand } from './plan-command.js';
import type { SlashCommand } from './slash-command.js';

/**
 * Runs one slash command: plans it (pure), publishes its events through the webhooks' publisher, then
 * stores the channel link it makes, and only then answers, so an answer that says "Recorded" means
 * Kafka has it (the 202 of the webhooks).
 */
@Injectable()
export class SlashCommandHandler {
  constructor(
    private readonly publisher: EventPublisher,
    @Inject(CHANNEL_LINKS) private readonly links: ChannelLinks,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
  ) {}

  /** The ephemeral reply's text. */
  async run(command: SlashCommand, requestTime: Date): Promise<string> {
    try {
      const link = await this.links.get(command.team_id, command.channel_id);
      const plan = planCommand({ command, requestTime, link, webUrl: this.config.WEB_URL });
      if (plan.kind === 'reply') return plan.text;
      await this.publisher.publish(plan.events);
      if (plan.link) await this.links.set(plan.link);
      return plan.reply;
    } catch (error) {
      const reason = notRecordedReason(error);
      if (reason) return reason;
      throw error;
    }
  }
}
