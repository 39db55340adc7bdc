import { Inject, Injectable } from '@nestjs/common';
import { Counter, Histogram, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from '@app/platform';

@Injectable()
export class RendererMetrics {
  readonly draftsWritten: Counter;
  readonly renderSeconds: Histogram;
  readonly batchSeconds: Histogram;
  readonly eventsStored: Counter;
  readonly batchRetries: Counter;
  readonly deadLetters: Counter;
  readonly vaultWriteFailures: Counter;
  readonly projections: Counter<'from'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    const registers = [registry];
    this.draftsWritten = new Counter({ name: 'aftermath_renderer_drafts_written_total', help: 'New RCA draft versions stored', registers });
    this.eventsStored = new Counter({ name: 'aftermath_renderer_events_total', help: 'Correlated events consumed from incident-timeline.v1 and stored', registers });
    this.batchRetries = new Counter({ name: 'aftermath_renderer_batch_retries_total', help: 'Batches retried after a failure (e.g. database down)', registers });
    this.deadLetters = new Counter({
      name: 'aftermath_renderer_dead_letters_total',
      help: 'Messages of incident-timeline.v1 sent to incident-timeline.dlq.v1 (not a correlated event, or refused by the store)',
      registers,
    });
    this.vaultWriteFailures = new Counter({
      name: 'aftermath_renderer_vault_write_failures_total',
      help: 'Draft copies that could not be written to RCA_OUTPUT_DIR (the drafts themselves are stored)',
      registers,
    });
    const projectionsHelp = 'Incidents projected by a batch: folded on from the stored state (from="state") or from all their stored events (from="events")';
    this.projections = new Counter({ name: 'aftermath_renderer_projections_total', help: projectionsHelp, labelNames: ['from'], registers });
    const batchHelp = "Time to store a batch's events, project the incidents it touches and write their drafts (one transaction)";
    this.batchSeconds = new Histogram({ name: 'aftermath_renderer_batch_seconds', help: batchHelp, buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers });
    this.renderSeconds = new Histogram({
      name: 'aftermath_renderer_render_seconds',
      help: 'Time to build the view and render one RCA draft',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
  }
}
