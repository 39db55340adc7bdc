import { Inject, Injectable } from '@nestjs/common';
import { EventPublisher } from '../publishing/event-publisher.js';
import type { ChannelLink, ChannelLinks } from './channel-links/channel-link.js';
import { CHANNEL_LINKS } from './channel-links/channel-links.token.js';
import { notRecordedReason } from './not-recorded.js';
import type { SlackPlan } from './slack-plan.js';

/**
 * Carries out the slash command and the "Add to timeline" shortcut alike: reads the channel's link, plans
 * with it, publishes the plan's events through the webhooks' publisher, then stores its link, and only
 * then answers, so an answer that says what was recorded means Kafka has it (the 202 of the webhooks).
 */
@Injectable()
export class SlackRecorder {
  constructor(
    private readonly publisher: EventPublisher,
    @Inject(CHANNEL_LINKS) private readonly links: ChannelLinks,
  ) {}

  /** The ephemeral reply's text. */
  async answer(teamId: string, channelId: string, plan: (link: ChannelLink | undefined) => SlackPlan): Promise<string> {
    try {
      const planned = plan(await this.links.get(teamId, channelId));
      if (planned.kind === 'reply') return planned.text;
      await this.publisher.publish(planned.events);
      if (planned.link) await this.links.set(planned.link);
      return planned.reply;
    } catch (error) {
      const reason = notRecordedReason(error);
      if (reason) return reason;
      throw error;
    }
  }
}
