import { Inject, Injectable, Logger } from '@nestjs/common';
import { App, type MessageShortcut, type RespondFn } from '@slack/bolt';
import { messageOf } from '@app/platform';
import { INGEST_CONFIG, type IngestConfig } from '../../config.js';
import { ADD_TO_TIMELINE, type MessageShortcutPayload } from '../add-to-timeline/message-note.js';
import { planShortcut } from '../add-to-timeline/plan-shortcut.js';
import { planCommand } from '../commands/plan-command.js';
import type { SlashCommand } from '../commands/slash-command.js';
import { SlackRecorder } from '../slack-recorder.js';
import { boltLogger } from './bolt-logger.js';
import { DispatchReceiver, type BoltAnswer } from './dispatch-receiver.js';

/**
 * Slack gives up on an answer after 3 seconds. Normally Kafka acknowledges within milliseconds and the
 * answer says what was recorded; when it has not within this deadline, the answer says that it is not
 * confirmed yet (never that it was recorded), and the outcome follows through response_url.
 */
export const ACK_DEADLINE_MS = 2_500;

export const STILL_WAITING = 'Not confirmed yet: Kafka has not acknowledged within 2.5 seconds. The outcome follows here; do not send the command again until it does.';

/** The outcome if it comes within the deadline, else null (the outcome keeps going). */
async function withinAckDeadline(outcome: Promise<string>): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ACK_DEADLINE_MS)));
  try {
    return await Promise.race([outcome, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

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
    recorder: SlackRecorder,
  ) {
    const app = new App({ receiver: this.receiver, authorize: async () => ({}), logger: boltLogger() });
    app.command(config.SLACK_COMMAND, async ({ command, ack, respond, context }) => {
      const slash = command as unknown as SlashCommand;
      const requestTime = context[REQUEST_TIME] as Date;
      const outcome = recorder.answer(slash.team_id, slash.channel_id, (link) => planCommand({ command: slash, requestTime, link, webUrl: config.WEB_URL }));
      const early = await withinAckDeadline(outcome);
      if (early !== null) return ack({ response_type: 'ephemeral', text: early });
      // Kafka is slow: Slack would show a timeout. Say so now, and the outcome once Kafka has answered.
      await ack({ response_type: 'ephemeral', text: STILL_WAITING });
      await this.followUp(respond, outcome);
    });
    app.shortcut<MessageShortcut>({ type: 'message_action', callback_id: ADD_TO_TIMELINE }, async ({ shortcut, ack, respond }) => {
      const payload = shortcut as unknown as MessageShortcutPayload;
      const settings = { command: config.SLACK_COMMAND, webUrl: config.WEB_URL };
      const outcome = recorder.answer(payload.team?.id ?? '', payload.channel.id, (link) => planShortcut(payload, link, settings));
      // Slack shows nothing of a shortcut's HTTP answer: the ack ends the request (after Kafka took the
      // note, or at the deadline), and the person reads the outcome as an ephemeral message posted to response_url.
      await withinAckDeadline(outcome);
      await ack();
      await this.followUp(respond, outcome);
    });
  }

  private async followUp(respond: RespondFn, outcome: Promise<string>): Promise<void> {
    const text = await outcome;
    await respond({ response_type: 'ephemeral', text }).catch((error: Error) => this.logger.warn(`could not answer through response_url: ${error.message}`));
  }

  /** Hands a verified, parsed Slack body to Bolt; resolves with what the listener acknowledged. */
  dispatch(body: Record<string, unknown>, requestTime: Date): Promise<BoltAnswer> {
    return this.receiver.dispatch(body, { [REQUEST_TIME]: requestTime }, (error) => this.logger.error(`Slack listener failed after answering: ${messageOf(error)}`));
  }
}
