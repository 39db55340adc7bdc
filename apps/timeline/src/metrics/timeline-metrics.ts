import { Inject, Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from '@app/platform';
import type { DataSource } from 'typeorm';
import type { BatchReport } from '../consumer/batch-report.js';
import { DATA_SOURCE } from '../tokens.js';

@Injectable()
export class TimelineMetrics {
  readonly batchRetries: Counter;
  private readonly events: Counter<'outcome'>;
  private readonly correlations: Counter<'from'>;
  private readonly batchSize: Histogram;
  private readonly batchSeconds: Histogram;
  private readonly lag: Gauge<'partition'>;
  readonly unattached: Gauge;
  readonly outboxPublished: Counter;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry, @Inject(DATA_SOURCE) dataSource: DataSource) {
    const registers = [registry];
    this.events = new Counter({
      name: 'aftermath_timeline_events_total',
      help: 'Consumed events by outcome: stored, duplicate (re-delivery, no-op), conflict (same id, other content), dead_letter',
      labelNames: ['outcome'],
      registers,
    });
    this.correlations = new Counter({
      name: 'aftermath_timeline_correlations_total',
      help: 'Transactions that correlated fresh events, by what from: the snapshots of the incidents they reached (events after all of theirs), or their events',
      labelNames: ['from'],
      registers,
    });
    this.batchRetries = new Counter({ name: 'aftermath_timeline_batch_retries_total', help: 'Batches retried after a failure (e.g. database down)', registers });
    this.batchSize = new Histogram({
      name: 'aftermath_timeline_batch_size',
      help: 'Events per projection transaction (the batches of one or more partitions)',
      buckets: [1, 10, 50, 100, 250, 500, 1000, 2500, 5000],
      registers,
    });
    this.batchSeconds = new Histogram({
      name: 'aftermath_timeline_projection_seconds',
      help: 'Duration of one projection transaction: append, correlate, project, outbox',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.lag = new Gauge({ name: 'aftermath_timeline_consumer_lag', help: 'Messages behind the partition end after the last batch', labelNames: ['partition'], registers });
    this.unattached = new Gauge({
      name: 'aftermath_timeline_unattached_events',
      help: 'Stored events not yet attached to an incident',
      registers,
      // Counted when scraped, not per batch: the hot path stays free of a count over the log.
      async collect() {
        try {
          const [{ total }] = await dataSource.query('SELECT count(*)::int AS total FROM events WHERE incident_id IS NULL');
          this.set(total);
        } catch {
          // Database down: keep the last value; /health/ready reports the outage.
        }
      },
    });
    this.outboxPublished = new Counter({ name: 'aftermath_timeline_outbox_published_total', help: 'Correlated events published to incident-timeline.v1', registers });
  }

  /** After a rebalance this instance may own other partitions: stale per-partition lag would mislead. */
  forgetLag(): void {
    this.lag.reset();
  }

  /** One committed transaction, possibly holding the batches of several partitions. */
  recordTransaction(report: BatchReport, events: number, elapsedMs: number): void {
    this.batchSize.observe(events);
    this.batchSeconds.observe(elapsedMs / 1000);
    this.events.inc({ outcome: 'stored' }, report.stored);
    this.events.inc({ outcome: 'duplicate' }, report.duplicates);
    this.events.inc({ outcome: 'conflict' }, report.conflicts);
    if (report.correlatedFrom !== null) this.correlations.inc({ from: report.correlatedFrom });
  }

  /** One partition's batch, committed: its dead letters and the lag left behind it. */
  recordBatch(partition: number, deadLetters: number, lag: string): void {
    this.events.inc({ outcome: 'dead_letter' }, deadLetters);
    this.lag.set({ partition: String(partition) }, Number(lag));
  }
}
