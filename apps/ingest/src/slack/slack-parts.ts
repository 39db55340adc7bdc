import type { Provider, Type } from '@nestjs/common';
import type { IngestConfig } from '../config.js';
import { SlackApp } from './bolt/slack-app.js';
import { SlackController } from './bolt/slack.controller.js';
import { ChannelLinkStore } from './channel-links/channel-link-store.js';
import { CHANNEL_LINKS } from './channel-links/channel-links.token.js';
import { SlackSignatureGuard } from './signature/slack-signature.guard.js';
import { SlackRecorder } from './slack-recorder.js';

/** The Slack app's part of ingest: present only when SLACK_SIGNING_SECRET is set. */
export function slackParts(config: IngestConfig): { controllers: Type[]; providers: Provider[] } {
  if (!config.SLACK_SIGNING_SECRET) return { controllers: [], providers: [] };
  return {
    controllers: [SlackController],
    providers: [
      SlackSignatureGuard,
      ChannelLinkStore,
      { provide: CHANNEL_LINKS, useExisting: ChannelLinkStore },
      SlackRecorder,
      SlackApp,
    ],
  };
}
