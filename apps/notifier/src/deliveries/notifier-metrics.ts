import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from '@app/platform';
import { DeliveryQueue } from './delivery-queue.js';

/** The notifier's metrics, per subscription where they concern one (`subscription`: its name, or teams-<n>). */
@Injectable()
export class NotifierMetrics {
  readonly notices: Counter<'type'>;
  readonly attempts: Counter<'subscription' | 'outcome'>;
  readonly attemptSeconds: Histogram<'subscription'>;
  readonly slackCalls: Counter<'method' | 'outcome'>;
  readonly batchRetries: Counter;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry, queue: DeliveryQueue) {
    const registers = [registry];
    this.notices = new Counter({ name: 'aftermath_notifier_notices_total', help: 'Notices made from the log, by type (each queued for every target that wants it)', labelNames: ['type'], registers });
    this.attempts = new Counter({
      name: 'aftermath_notifier_delivery_attempts_total',
      help: 'Delivery attempts per subscription, by outcome: delivered, retry (to be tried again), failed (given up after OUTBOUND_RETRY_HOURS), ended (410 Gone)',
      labelNames: ['subscription', 'outcome'],
      registers,
    });
    this.attemptSeconds = new Histogram({
      name: 'aftermath_notifier_delivery_seconds',
      help: 'Time from sending a delivery to its answer (or timeout), per subscription',
      labelNames: ['subscription'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.slackCalls = new Counter({ name: 'aftermath_notifier_slack_calls_total', help: 'Slack Web API calls, by method and outcome (ok, ratelimited, error)', labelNames: ['method', 'outcome'], registers });
    this.batchRetries = new Counter({ name: 'aftermath_notifier_batch_retries_total', help: 'Consumer batches retried after a failure (e.g. database down)', registers });
    const backlog = () => queue.backlog();
    // Read from the database when scraped, so every instance reports the shared queue as it is.
    new Gauge({
      name: 'aftermath_notifier_pending_deliveries',
      help: 'Deliveries waiting to be sent or retried, per subscription',
      labelNames: ['subscription'],
      registers,
      async collect() {
        this.reset();
        for (const row of await backlog().catch(() => [])) this.set({ subscription: row.subscription }, row.pending);
      },
    });
    new Gauge({
      name: 'aftermath_notifier_oldest_pending_seconds',
      help: 'Age of the oldest delivery waiting, per subscription (a receiver that stays down makes it grow)',
      labelNames: ['subscription'],
      registers,
      async collect() {
        this.reset();
        for (const row of await backlog().catch(() => [])) this.set({ subscription: row.subscription }, row.oldestSeconds);
      },
    });
  }
}
