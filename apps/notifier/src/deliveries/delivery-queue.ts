import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { NOTIFIER_CONFIG, type NotifierConfig } from '../config.js';
import { deliveryId, type Notice } from '../notices/notice.js';
import { webhookBody } from '../notices/webhook-body.js';
import { wants, type Target } from '../subscriptions/subscription.js';
import { teamsMessage } from '../teams/adaptive-card.js';
import { DATA_SOURCE, TARGETS } from '../tokens.js';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'ended'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** A delivery as the log shows it (GET /v1/deliveries, `npm run deliveries -- list`). */
export interface DeliveryView {
  id: string;
  subscription: string;
  channel: 'webhook' | 'teams';
  type: string;
  incidentId: string;
  status: DeliveryStatus;
  attempts: number;
  createdAt: string;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  /** The receiver's last answer: its HTTP status, or what went wrong before one came. */
  lastAnswer: { status: number | null; error: string | null } | null;
  finishedAt: string | null;
}

/** A delivery claimed for one attempt. */
export interface ClaimedDelivery {
  id: string;
  subscription: string;
  incidentId: string;
  body: string;
  attempts: number;
  createdAt: Date;
}

interface DeliveryRow {
  id: string;
  seq: string;
  subscription: string;
  channel: 'webhook' | 'teams';
  type: string;
  incident_id: string;
  status: DeliveryStatus;
  attempts: number;
  created_at: Date;
  next_attempt_at: Date;
  last_attempt_at: Date | null;
  last_status: number | null;
  last_error: string | null;
  finished_at: Date | null;
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** A subscription ends for good (410 Gone) for its name and URL: the same name with a new URL starts again. */
export const urlDigest = (url: string) => createHash('sha256').update(url).digest('hex').slice(0, 16);

/**
 * The delivery queue and log in PostgreSQL: one queue per target and incident, oldest first. The consumers
 * only add to it (in their transaction, so a notice is queued exactly when its batch commits); the senders
 * take each queue's head when it is due, so a slow or dead receiver holds up its own queues and nothing else.
 */
@Injectable()
export class DeliveryQueue {
  private readonly byName: Map<string, Target>;

  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(TARGETS) targets: Target[],
    @Inject(NOTIFIER_CONFIG) private readonly config: NotifierConfig,
  ) {
    this.byName = new Map(targets.map((target) => [target.name, target]));
  }

  target(name: string): Target | undefined {
    return this.byName.get(name);
  }

  /** Queues each notice for every target that wants it, in notice order; a notice queued before is not queued again. */
  async enqueue(manager: EntityManager, notices: readonly Notice[]): Promise<number> {
    if (notices.length === 0 || this.byName.size === 0) return 0;
    const ended = await this.endedNames(manager);
    const rows = notices.flatMap((notice) =>
      [...this.byName.values()]
        .filter((target) => !ended.has(target.name) && wants(target, notice.type, notice.summary))
        .map((target) => ({
          id: deliveryId(target.name, notice),
          subscription: target.name,
          channel: target.channel,
          incident_id: notice.incidentId,
          type: notice.type,
          body: target.channel === 'teams' ? JSON.stringify(teamsMessage(notice, this.config.PUBLIC_WEB_URL)) : webhookBody(notice, this.config.PUBLIC_WEB_URL),
        })),
    );
    if (rows.length === 0) return 0;
    // WITH ORDINALITY ... ORDER BY: seq follows the notices' order, which is each queue's order.
    const inserted: unknown[] = await manager.query(
      `INSERT INTO notifier_deliveries (id, subscription, channel, incident_id, type, body)
       SELECT r.value->>'id', r.value->>'subscription', r.value->>'channel', r.value->>'incident_id', r.value->>'type', r.value->>'body'
       FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS r(value, n)
       ORDER BY r.n
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [JSON.stringify(rows)],
    );
    return inserted.length;
  }

  /** Names of configured targets that a 410 Gone ended (for their current URL). */
  private async endedNames(manager: EntityManager | DataSource): Promise<Set<string>> {
    const rows: { subscription: string; url_digest: string }[] = await manager.query('SELECT subscription, url_digest FROM notifier_ended_subscriptions');
    return new Set(rows.filter((row) => this.byName.get(row.subscription) && urlDigest(this.byName.get(row.subscription)!.url) === row.url_digest).map((row) => row.subscription));
  }

  /**
   * Claims the heads of due queues, at most `perTarget` per target and none of `busy` targets, for
   * `leaseSeconds`: another instance (or this one) does not take them meanwhile. A head whose target is no
   * longer configured is ended instead.
   */
  async claim(limit: number, perTarget: number, busy: readonly string[], leaseSeconds: number): Promise<ClaimedDelivery[]> {
    // Read through a SELECT: TypeORM answers a bare UPDATE ... RETURNING with [rows, count].
    const rows: { id: string; subscription: string; incident_id: string; body: string; attempts: number; created_at: Date }[] = await this.dataSource.query(
      `WITH heads AS (
         SELECT DISTINCT ON (subscription, incident_id) id, subscription, seq, next_attempt_at, lease_until
         FROM notifier_deliveries WHERE status = 'pending'
         ORDER BY subscription, incident_id, seq
       ), due AS (
         SELECT id, row_number() OVER (PARTITION BY subscription ORDER BY next_attempt_at, seq) AS rank
         FROM heads
         WHERE next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now()) AND NOT (subscription = ANY($3::text[]))
       ), claimed AS (
         UPDATE notifier_deliveries d SET lease_until = now() + make_interval(secs => $4)
         FROM (SELECT id FROM due WHERE rank <= $2 LIMIT $1) picked
         WHERE d.id = picked.id AND d.status = 'pending' AND (d.lease_until IS NULL OR d.lease_until < now())
         RETURNING d.id, d.subscription, d.incident_id, d.body, d.attempts, d.created_at
       )
       SELECT * FROM claimed`,
      [limit, perTarget, busy, leaseSeconds],
    );
    const claimed = rows.map((row) => ({ id: row.id, subscription: row.subscription, incidentId: row.incident_id, body: row.body, attempts: row.attempts, createdAt: row.created_at }));
    const orphaned = claimed.filter((delivery) => !this.byName.has(delivery.subscription));
    for (const delivery of orphaned) await this.finish(delivery.id, { status: 'ended', httpStatus: null, error: 'the subscription is no longer configured' });
    return claimed.filter((delivery) => this.byName.has(delivery.subscription));
  }

  /** Records an attempt that ended the delivery: delivered, given up (failed) or ended. */
  async finish(id: string, outcome: { status: Exclude<DeliveryStatus, 'pending'>; httpStatus: number | null; error: string | null }): Promise<void> {
    await this.dataSource.query(
      `UPDATE notifier_deliveries SET status = $2, attempts = attempts + 1, last_attempt_at = now(), last_status = $3, last_error = $4,
         finished_at = now(), lease_until = NULL WHERE id = $1`,
      [id, outcome.status, outcome.httpStatus, outcome.error],
    );
  }

  /** Records a failed attempt to be retried after `delaySeconds`. */
  async retryLater(id: string, delaySeconds: number, answer: { httpStatus: number | null; error: string | null }): Promise<void> {
    await this.dataSource.query(
      `UPDATE notifier_deliveries SET attempts = attempts + 1, last_attempt_at = now(), last_status = $3, last_error = $4,
         next_attempt_at = now() + make_interval(secs => $2), lease_until = NULL WHERE id = $1`,
      [id, delaySeconds, answer.httpStatus, answer.error],
    );
  }

  /** A 410 Gone: the subscription ends for this URL, and its deliveries still waiting end with it. */
  async endSubscription(name: string, reason: string): Promise<void> {
    const target = this.byName.get(name);
    if (!target) return;
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO notifier_ended_subscriptions (subscription, url_digest, reason) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [name, urlDigest(target.url), reason],
      );
      await manager.query(
        `UPDATE notifier_deliveries SET status = 'ended', last_error = COALESCE(last_error, $2), finished_at = now(), lease_until = NULL
         WHERE subscription = $1 AND status = 'pending'`,
        [name, reason],
      );
    });
  }

  async list(filter: { status?: DeliveryStatus; subscription?: string; incident?: string; limit: number }): Promise<DeliveryView[]> {
    const rows: DeliveryRow[] = await this.dataSource.query(
      `SELECT id, seq, subscription, channel, type, incident_id, status, attempts, created_at, next_attempt_at, last_attempt_at, last_status, last_error, finished_at
       FROM notifier_deliveries
       WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR subscription = $2) AND ($3::text IS NULL OR incident_id = $3)
       ORDER BY seq LIMIT $4`,
      [filter.status ?? null, filter.subscription ?? null, filter.incident ?? null, filter.limit],
    );
    return rows.map((row) => ({
      id: row.id,
      subscription: row.subscription,
      channel: row.channel,
      type: row.type,
      incidentId: row.incident_id,
      status: row.status,
      attempts: row.attempts,
      createdAt: row.created_at.toISOString(),
      nextAttemptAt: row.status === 'pending' ? iso(row.next_attempt_at) : null,
      lastAttemptAt: iso(row.last_attempt_at),
      lastAnswer: row.last_attempt_at ? { status: row.last_status, error: row.last_error } : null,
      finishedAt: iso(row.finished_at),
    }));
  }

  /**
   * Sends chosen deliveries again, with the same `webhook-id` and body: each becomes pending and due now.
   * Returns, per id, what happened: `queued`, `unknown`, or why not (its target is gone or ended).
   */
  async redeliver(ids: readonly string[]): Promise<{ id: string; outcome: 'queued' | 'unknown' | 'subscription-not-configured' | 'subscription-ended' }[]> {
    const ended = await this.endedNames(this.dataSource);
    const rows: { id: string; subscription: string }[] = await this.dataSource.query('SELECT id, subscription FROM notifier_deliveries WHERE id = ANY($1::text[])', [ids]);
    const found = new Map(rows.map((row) => [row.id, row.subscription]));
    const results = ids.map((id) => {
      const subscription = found.get(id);
      if (subscription === undefined) return { id, outcome: 'unknown' as const };
      if (!this.byName.has(subscription)) return { id, outcome: 'subscription-not-configured' as const };
      if (ended.has(subscription)) return { id, outcome: 'subscription-ended' as const };
      return { id, outcome: 'queued' as const };
    });
    const queued = results.filter((r) => r.outcome === 'queued').map((r) => r.id);
    if (queued.length > 0) {
      await this.dataSource.query(
        `UPDATE notifier_deliveries SET status = 'pending', next_attempt_at = now(), finished_at = NULL, lease_until = NULL, created_at = now()
         WHERE id = ANY($1::text[])`,
        [queued],
      );
    }
    return results;
  }

  /** Per target: deliveries waiting and the age of the oldest (the metrics' gauges). */
  async backlog(): Promise<{ subscription: string; pending: number; oldestSeconds: number }[]> {
    const rows: { subscription: string; pending: string; oldest: number | null }[] = await this.dataSource.query(
      `SELECT subscription, count(*) AS pending, EXTRACT(EPOCH FROM now() - min(created_at))::float8 AS oldest
       FROM notifier_deliveries WHERE status = 'pending' GROUP BY subscription`,
    );
    return rows.map((row) => ({ subscription: row.subscription, pending: Number(row.pending), oldestSeconds: row.oldest ?? 0 }));
  }
}
