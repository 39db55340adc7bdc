import type { IncomingEvent } from '../event-store/append-events.js';
import type { BatchReport } from './batch-report.js';

interface Submission {
  events: IncomingEvent[];
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Group commit: batches of different partitions that arrive while a transaction runs go into the
 * next one together. Correlation is serialised anyway (one lock), so one transaction per fetch
 * instead of one per partition cuts the round trips that made latency grow with partitions.
 * Each submitter still learns whether its events committed, and commits its offsets only then.
 */
export class CoalescingProcessor {
  private pending: Submission[] = [];
  private draining = false;

  /**
   * @param maxEvents a group stops growing at this many events (a single larger submission still goes
   *   alone): a transaction's memory grows with its events, and past a few thousand it saves no time.
   */
  constructor(
    private readonly process: (events: IncomingEvent[]) => Promise<BatchReport>,
    private readonly onProcessed: (report: BatchReport, events: number, elapsedMs: number) => void,
    private readonly maxEvents = Number.POSITIVE_INFINITY,
  ) {}

  submit(events: IncomingEvent[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ events, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    while (this.pending.length > 0) {
      const group = this.takeGroup();
      const events = group.flatMap((submission) => submission.events);
      const started = performance.now();
      try {
        const report = await this.process(events);
        this.onProcessed(report, events.length, performance.now() - started);
        for (const submission of group) submission.resolve();
      } catch (error) {
        if (group.length === 1) group[0]!.reject(error);
        else await this.eachAlone(group);
      }
    }
    this.draining = false;
  }

  /**
   * A failed group is tried again submission by submission, so that each submitter learns about its own
   * events: one partition's poison event must not fail, and dead-letter, the batches that shared its transaction.
   */
  private async eachAlone(group: Submission[]): Promise<void> {
    for (const submission of group) {
      const started = performance.now();
      try {
        const report = await this.process(submission.events);
        this.onProcessed(report, submission.events.length, performance.now() - started);
        submission.resolve();
      } catch (error) {
        submission.reject(error);
      }
    }
  }

  private takeGroup(): Submission[] {
    let count = this.pending[0]!.events.length;
    let size = 1;
    while (size < this.pending.length && count + this.pending[size]!.events.length <= this.maxEvents) {
      count += this.pending[size]!.events.length;
      size += 1;
    }
    return this.pending.splice(0, size);
  }
}
