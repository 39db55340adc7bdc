import { Inject, Injectable, Logger } from '@nestjs/common';
import { ErrorCode, WebClient, type WebAPIRateLimitedError } from '@slack/web-api';
import { messageOf, summarize } from '@app/domain';
import { PollingLoop } from '@app/platform';
import { NOTIFIER_CONFIG, type NotifierConfig } from '../config.js';
import { retryDelaySeconds } from '../deliveries/backoff.js';
import { NotifierMetrics } from '../deliveries/notifier-metrics.js';
import { slackMessage } from './slack-message.js';
import { SlackMessages, type DueMessage } from './slack-messages.js';

/**
 * Keeps each incident's one Slack message current: chat.postMessage into the channel linked to the incident
 * (else SLACK_INCIDENTS_CHANNEL) the first time, chat.update of that message after. A 429 is not retried
 * inside the client: the message waits the Retry-After Slack gave (its row's next attempt), other incidents'
 * messages go on. Without SLACK_BOT_TOKEN nothing runs.
 */
@Injectable()
export class SlackSender {
  private readonly logger = new Logger('SlackSender');
  private readonly client: WebClient | null;
  private readonly loop = new PollingLoop({ name: 'SlackSender', step: () => this.round(), idleMs: 500 });

  constructor(
    private readonly messages: SlackMessages,
    private readonly metrics: NotifierMetrics,
    @Inject(NOTIFIER_CONFIG) private readonly config: NotifierConfig,
  ) {
    this.client = config.SLACK_BOT_TOKEN
      ? new WebClient(config.SLACK_BOT_TOKEN, {
          slackApiUrl: config.SLACK_API_URL,
          rejectRateLimitedCalls: true,
          retryConfig: { retries: 0 },
          timeout: config.OUTBOUND_TIMEOUT_SECONDS * 1000,
        })
      : null;
  }

  get enabled(): boolean {
    return this.client !== null;
  }

  start(): void {
    if (this.client) this.loop.start();
  }

  wake(): void {
    this.loop.wake();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** One message at a time: Slack allows about one post per second per channel. */
  private async round(): Promise<boolean> {
    const [message] = await this.messages.claim(1, this.config.OUTBOUND_TIMEOUT_SECONDS + 30);
    if (!message) return false;
    await this.sync(message);
    return true;
  }

  private async sync(message: DueMessage): Promise<void> {
    const channel = message.channel ?? message.linkedChannels[0] ?? this.config.SLACK_INCIDENTS_CHANNEL ?? null;
    if (channel === null) {
      // No channel to post in: nothing to show; a later notice looks again (a channel may be linked by then).
      await this.messages.posted(message.incidentId, message.wanted, null, null);
      return;
    }
    const { text, blocks } = slackMessage(summarize(message.state), message.context, this.config.PUBLIC_WEB_URL);
    const method = message.ts ? 'chat.update' : 'chat.postMessage';
    try {
      const answer = message.ts
        ? await this.client!.chat.update({ channel, ts: message.ts, text, blocks: blocks as never })
        : await this.client!.chat.postMessage({ channel, text, blocks: blocks as never, unfurl_links: false });
      this.metrics.slackCalls.inc({ method, outcome: 'ok' });
      await this.messages.posted(message.incidentId, message.wanted, answer.channel ?? channel, answer.ts ?? message.ts);
    } catch (error) {
      const rateLimited = (error as { code?: string }).code === ErrorCode.RateLimitedError;
      this.metrics.slackCalls.inc({ method, outcome: rateLimited ? 'ratelimited' : 'error' });
      const delay = rateLimited
        ? (error as WebAPIRateLimitedError).retryAfter
        : retryDelaySeconds(message.attempts + 1, this.config.OUTBOUND_RETRY_FIRST_SECONDS, this.config.OUTBOUND_RETRY_MAX_SECONDS);
      if (!rateLimited) this.logger.warn(`${method} for ${message.incidentId} failed: ${messageOf(error)}; again in ${Math.round(delay)} s`);
      await this.messages.retryLater(message.incidentId, delay, messageOf(error));
    }
  }
}
