import { Inject, Injectable, Logger } from '@nestjs/common';
import { App, type MessageShortcut } from '@slack/bolt';
import { INGEST_CONFIG, type IngestConfig } from '../../config.js';
import { AddToTimelineHandler } from '../add-to-timeline/add-to-timeline.handler.js';
import { ADD_TO_TIMELINE, type MessageShortcutPayload } from '../add-to-timeline/message-note.js';
import { SlashCommandHandler } from '../commands/slash-command.handler.js';
import type { SlashCommand } from '../commands/slash-command.js';
import { boltLogger } from './bolt-logger.js';
import { DispatchReceiver, type BoltAnswer } from './dispatch-receiver.js';

/** customProperties key under which the verified X-Slack-Request-Timestamp reaches the listeners. */
const REQUEST_TIME = 'aftermathRequestTime';

/**
 * The Bolt app: routes Slack's requests to the slash command and the "Add to timeline" shortcut.
 * Authorisation is the signing secret (checked before Bolt); the app calls no Slack API, so it holds
 * no token and `authorize` has nothing to add.
 */
@Injectable()
export class SlackApp {
  private readonly logger = new Logger(SlackApp.name);
  private readonly receiver = new DispatchReceiver();

  constructor(
    @Inject(INGEST_CONFIG) config: IngestConfig,
    commands: SlashCommandHandler,
    addToTimeline: AddToTimelineHandler,
  ) {
    const app = new App({ receiver: this.receiver, authorize: async () => ({}), logger: boltLogger() });
    app.command(config.SLACK_COMMAND, async ({ command, ack, context }) => {
      const text = await commands.run(command as unknown as SlashCommand, context[REQUEST_TIME] as Date);
      await ack({ response_type: 'ephemeral', text });
    });
    app.shortcut<MessageShortcut>({ type: 'message_action', callback_id: ADD_TO_TIMELINE }, async ({ shortcut, ack, respond }) => {
      const text = await addToTimeline.run(shortcut as unknown as MessageShortcutPayload);
      // Slack shows nothing of a shortcut's HTTP answer: the ack ends the request (after Kafka took the
      // note), and the person reads the outcome as an ephemeral message posted to response_url.
      await ack();
      await respond({ response_type: 'ephemeral', text }).catch((error: Error) => this.logger.warn(`could not answer through response_url: ${error.message}`));
    });
  }

  /** Hands a verified, parsed Slack body to Bolt; resolves with what the listener acknowledged. */
  dispatch(body: Record<string, unknown>, requestTime: Date): Promise<BoltAnswer> {
    return this.receiver.dispatch(body, { [REQUEST_TIME]: requestTime }, (error) => this.logger.error(`Slack listener failed after answering: ${(error as Error).message}`));
  }
}
