import { Inject, Injectable } from '@nestjs/common';
import { INGEST_CONFIG, type IngestConfig } from '../../config.js';
import { EventPublisher } from '../../publishing/event-publisher.js';
import type { ChannelLinks } from '../channel-links/channel-link.js';
import { CHANNEL_LINKS } from '../channel-links/channel-links.token.js';
import { notRecordedReason } from '../not-recorded.js';
import { escapeMrkdwn, incidentLink } from '../slack-text.js';
import { messageNote, type MessageShortcutPayload } from './message-note.js';

/** The message shortcut "Add to timeline": the message becomes a note of the channel's incident. */
@Injectable()
export class AddToTimelineHandler {
  constructor(
    private readonly publisher: EventPublisher,
    @Inject(CHANNEL_LINKS) private readonly links: ChannelLinks,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
  ) {}

  /** Publishes the note (resolving once Kafka has it) and returns the text to show the person. */
  async run(payload: MessageShortcutPayload): Promise<string> {
    try {
      const link = await this.links.get(payload.team?.id ?? '', payload.channel.id);
      if (!link) return `Nothing recorded: this channel is not linked to an incident. Link it first with \`${this.config.SLACK_COMMAND} link <incident id or key>\`.`;
      const note = messageNote(payload, link);
      if ('problem' in note) return `Nothing recorded: ${escapeMrkdwn(note.problem)}.`;
      await this.publisher.publish([note.event]);
      return `Added the message to the timeline of ${incidentLink(this.config.WEB_URL, link.incidentRef)} at ${note.event.occurredAt} (event \`${note.event.id}\`).`;
    } catch (error) {
      const reason = notRecordedReason(error);
      if (reason) return reason;
      throw error;
    }
  }
}
