import { Logger } from '@nestjs/common';
import { messageOf } from '@app/domain';

export interface PollingLoopOptions {
  /** Names the loop in its log lines. */
  name: string;
  /** One round of work; resolves true when more is waiting, so the next round starts at once. */
  step: () => Promise<boolean>;
  /** How long to wait when a round found nothing more to do, unless woken earlier. */
  idleMs: number;
  /** The longest wait after failed rounds (the wait doubles from 200 ms per failure in a row). */
  maxBackoffMs?: number;
}

/**
 * A background loop that works in rounds until stopped: rounds follow each other while work is waiting,
 * it waits `idleMs` (or until `wake()`) when none is, and backs off after failures, logging the first and
 * every twentieth. What the outbox relays and the notifier's senders share.
 */
export class PollingLoop {
  private readonly logger: Logger;
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private wokenEarly = false;

  constructor(private readonly options: PollingLoopOptions) {
    this.logger = new Logger(options.name);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Starts the next round now (new work was just committed). */
  wake(): void {
    this.wokenEarly = true;
    this.wakeUp?.();
  }

  /** Lets the running round finish; no round starts after. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      let more = false;
      this.wokenEarly = false;
      try {
        more = await this.options.step();
        failures = 0;
      } catch (error) {
        failures += 1;
        if (failures === 1 || failures % 20 === 0) this.logger.warn(`${this.options.name} failed (${failures}x): ${messageOf(error)}`);
      }
      if (more || !this.running) continue;
      await this.idle(failures > 0 ? Math.min(this.options.maxBackoffMs ?? 10_000, 200 * 2 ** failures) : this.options.idleMs);
    }
  }

  private idle(ms: number): Promise<void> {
    if (this.wokenEarly) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }
}
