import { Inject, Injectable, Logger } from '@nestjs/common';
import { PollingLoop } from '@app/platform';
import { NOTIFIER_CONFIG, type NotifierConfig } from '../config.js';
import { retryDelaySeconds } from './backoff.js';
import { DeliveryQueue, type ClaimedDelivery } from './delivery-queue.js';
import { NotifierMetrics } from './notifier-metrics.js';
import { postJson, type Answer } from './send.js';
import { signedHeaders } from './signature.js';

/** Requests in flight at once, over all targets; and per target, so one slow receiver cannot take them all. */
const IN_FLIGHT = 32;
const IN_FLIGHT_PER_TARGET = 4;

/**
 * Sends the queues' heads. Each round claims what is due and starts the requests without waiting for them:
 * a receiver that answers slowly (up to OUTBOUND_TIMEOUT_SECONDS) or not at all holds only its own requests,
 * never the next round, the consumers or another receiver. An answer 2xx delivers; 410 Gone ends the
 * subscription; anything else (or no answer) is retried with exponential backoff until OUTBOUND_RETRY_HOURS
 * after it was queued, then given up as `failed`. The next delivery of a queue goes only once its head is done.
 */
@Injectable()
export class DeliverySender {
  private readonly logger = new Logger('DeliverySender');
  private readonly inFlight = new Map<string, number>();
  private readonly running = new Set<Promise<void>>();
  private readonly loop = new PollingLoop({ name: 'DeliverySender', step: () => this.round(), idleMs: 250 });

  constructor(
    private readonly queue: DeliveryQueue,
    private readonly metrics: NotifierMetrics,
    @Inject(NOTIFIER_CONFIG) private readonly config: NotifierConfig,
  ) {}

  start(): void {
    this.loop.start();
  }

  wake(): void {
    this.loop.wake();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    await Promise.allSettled([...this.running]);
  }

  private async round(): Promise<boolean> {
    const total = [...this.inFlight.values()].reduce((sum, n) => sum + n, 0);
    if (total >= IN_FLIGHT) return false;
    const busy = [...this.inFlight].filter(([, n]) => n >= IN_FLIGHT_PER_TARGET).map(([name]) => name);
    const leaseSeconds = this.config.OUTBOUND_TIMEOUT_SECONDS + 30;
    const claimed = await this.queue.claim(IN_FLIGHT - total, IN_FLIGHT_PER_TARGET, busy, leaseSeconds);
    for (const delivery of claimed) {
      this.inFlight.set(delivery.subscription, (this.inFlight.get(delivery.subscription) ?? 0) + 1);
      const attempt = this.attempt(delivery)
        .catch((error: Error) => this.logger.warn(`recording delivery ${delivery.id} failed: ${error.message}; it is tried again when its lease ends`))
        .finally(() => {
          this.inFlight.set(delivery.subscription, this.inFlight.get(delivery.subscription)! - 1);
          this.running.delete(attempt);
          this.loop.wake();
        });
      this.running.add(attempt);
    }
    return false;
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    const target = this.queue.target(delivery.subscription)!;
    const headers = target.secret ? signedHeaders(target.secret, delivery.id, delivery.body) : {};
    const stop = this.metrics.attemptSeconds.startTimer({ subscription: target.name });
    const answer = await postJson(target.url, delivery.body, headers, this.config.OUTBOUND_TIMEOUT_SECONDS * 1000);
    stop();
    await this.record(delivery, answer);
  }

  private async record(delivery: ClaimedDelivery, answer: Answer): Promise<void> {
    const subscription = delivery.subscription;
    const { httpStatus } = answer;
    if (httpStatus !== null && httpStatus >= 200 && httpStatus < 300) {
      await this.queue.finish(delivery.id, { status: 'delivered', ...answer });
      this.metrics.attempts.inc({ subscription, outcome: 'delivered' });
      return;
    }
    if (httpStatus === 410) {
      await this.queue.finish(delivery.id, { status: 'ended', ...answer });
      await this.queue.endSubscription(subscription, '410 Gone: the receiver ended the subscription');
      this.metrics.attempts.inc({ subscription, outcome: 'ended' });
      this.logger.warn(`subscription ${subscription} answered 410 Gone: it is ended, and its waiting deliveries with it`);
      return;
    }
    const delay = retryDelaySeconds(delivery.attempts + 1, this.config.OUTBOUND_RETRY_FIRST_SECONDS, this.config.OUTBOUND_RETRY_MAX_SECONDS);
    const giveUpAt = delivery.createdAt.getTime() + this.config.OUTBOUND_RETRY_HOURS * 3_600_000;
    if (Date.now() + delay * 1000 > giveUpAt) {
      await this.queue.finish(delivery.id, { status: 'failed', ...answer });
      this.metrics.attempts.inc({ subscription, outcome: 'failed' });
      return;
    }
    await this.queue.retryLater(delivery.id, delay, answer);
    this.metrics.attempts.inc({ subscription, outcome: 'retry' });
  }
}
