// The fault schedule: each fault fires when the senders reach a share of acknowledged events, and the
// next one waits until the previous one's service is back. Every fault is recorded with its timings.
import { RENDERER_DATABASE } from './renderer-check.mjs';
import { holdTransactionOpen, transactionOutcome } from './transactions.mjs';
import { alive, clock, seconds, sleep, waitUntil } from './util.mjs';

/** Default schedule, as shares of acknowledged events. */
export const SCHEDULE = [
  { share: 0.1, fault: 'kill-timeline' },
  { share: 0.2, fault: 'kill-renderer' },
  { share: 0.3, fault: 'restart-postgres' },
  { share: 0.42, fault: 'restart-kafka' },
  { share: 0.55, fault: 'restart-ingest' },
  { share: 0.66, fault: 'kill-kafka' },
  { share: 0.78, fault: 'kill-timeline' },
];

/** How long a kill waits for a writing transaction of its service to wait on the harness's lock. */
const OPEN_TRANSACTION_WAIT_MS = 30_000;

async function bothReady(ingest, timeline, timeoutMs = 120_000) {
  await waitUntil(async () => (await ingest.ready()) && (await timeline.ready()), { what: 'ingest and timeline to be ready again', timeoutMs, everyMs: 200 });
}

const count = async (postgres, sql, database) => (await postgres.query(sql, [], database))[0].n;

export class FaultRunner {
  constructor({ postgres, kafka, ingest, timeline, renderer, senders, schedule = SCHEDULE, downMs, log }) {
    Object.assign(this, { postgres, kafka, ingest, timeline, renderer, senders, schedule, downMs, log });
    this.timeline_ = [];
  }

  get records() {
    return this.timeline_;
  }

  /**
   * Where a fault's effect shows: the timeline's event store, or for the renderer its copies of the events.
   * `done` says the store holds all it can get once sending is over.
   */
  store(fault) {
    if (fault === 'kill-renderer') {
      return {
        what: 'the renderer to store events again',
        count: () => count(this.postgres, 'SELECT count(*)::int AS n FROM renderer_events', RENDERER_DATABASE),
        done: async (n) => n >= (await count(this.postgres, 'SELECT count(*)::int AS n FROM events WHERE incident_id IS NOT NULL')),
      };
    }
    return { what: 'the timeline to store events again', count: () => count(this.postgres, 'SELECT count(*)::int AS n FROM events'), done: async (n) => n >= this.senders.acked.size };
  }

  async run(sendingDone) {
    for (const step of this.schedule) {
      await waitUntil(() => sendingDone() || this.senders.progress() >= step.share, { what: `${Math.round(step.share * 100)}% acknowledged`, timeoutMs: 24 * 3600_000, everyMs: 50 });
      const at = clock();
      const t0 = performance.now();
      const record = { fault: step.fault, atShare: Number(this.senders.progress().toFixed(3)), at: Number(at.toFixed(1)), duringSending: !sendingDone() };
      this.log(`fault: ${step.fault} at ${(record.atShare * 100).toFixed(1)}% acknowledged`);
      const store = this.store(step.fault);
      const sampler = this.sample(sendingDone, store);
      try {
        Object.assign(record, await this[step.fault](sendingDone));
      } catch (error) {
        record.error = error.message;
        this.log(`fault ${step.fault} could not be completed: ${error.message}`);
      }
      record.tookMs = Math.round(performance.now() - t0);
      if (!record.error) await this.measureResumption(record, t0, sendingDone, store);
      Object.assign(record, await sampler.stop());
      this.timeline_.push(record);
      this.log(`fault: ${step.fault} done in ${seconds(record.tookMs)} (${describe(record)})`);
    }
  }

  /**
   * Samples acknowledged and stored counts every 250 ms from the fault's start; `stop()` gives the
   * longest stretch in which each did not grow (the pause the fault caused). A count that cannot be read
   * (the database is down) is a gap in the samples, not a value.
   */
  sample(sendingDone, store) {
    const samples = [];
    let running = true;
    const loop = (async () => {
      while (running) {
        const t = performance.now();
        const acked = this.senders.acked.size;
        const stored = await store.count().catch(() => null);
        samples.push({ t, acked: sendingDone() ? null : acked, stored });
        await sleep(250);
      }
    })();
    const longestFlat = (key) => {
      if (!samples.some((sample) => sample[key] !== null)) return undefined;
      let lastGrowth = samples[0]?.t ?? 0;
      let best = 0;
      let previous = samples[0]?.[key] ?? null;
      for (const sample of samples) {
        if (sample[key] !== null && previous !== null && sample[key] > previous) lastGrowth = sample.t;
        if (sample[key] !== null) previous = sample[key];
        if (sample[key] !== null) best = Math.max(best, sample.t - lastGrowth);
      }
      return Math.round(best);
    };
    return {
      stop: async () => {
        running = false;
        await loop;
        return { ackPauseMs: longestFlat('acked'), storePauseMs: longestFlat('stored') };
      },
    };
  }

  /**
   * After a fault, the pipeline must make progress again by itself: ingest acknowledges events again
   * and the fault's store grows again. Neither within `stuckMs` is a stuck pipeline.
   */
  async measureResumption(record, t0, sendingDone, store, stuckMs = 180_000) {
    const acked0 = this.senders.acked.size;
    try {
      // The first count waits for the database to answer: it may have just come back.
      const stored0 = await waitUntil(() => store.count().then((n) => ({ n })), { what: `a count for ${store.what}`, timeoutMs: stuckMs, everyMs: 200 }).then(({ n }) => n);
      await waitUntil(() => this.senders.acked.size > acked0 || sendingDone(), { what: 'ingest to acknowledge events again', timeoutMs: stuckMs, everyMs: 50 });
      if (this.senders.acked.size > acked0) record.acksResumedMs = Math.round(performance.now() - t0);
      await waitUntil(async () => (await store.count()) > stored0 || (sendingDone() && (await store.done(stored0))), { what: store.what, timeoutMs: stuckMs, everyMs: 100 });
      if ((await store.count()) > stored0) record.storingResumedMs = Math.round(performance.now() - t0);
    } catch (error) {
      record.error = `stuck: ${error.message}`;
    }
  }

  /**
   * SIGKILL `service` while one of its transactions has written and not committed (chaos/lib/transactions.mjs),
   * then start it again. The kill counts as mid-transaction only when PostgreSQL then reports that
   * transaction aborted.
   */
  async killMidTransaction(service, kind, database, sendingDone) {
    const { waiting, release } = await holdTransactionOpen(this.postgres, kind, database, OPEN_TRANSACTION_WAIT_MS);
    const duringSending = !sendingDone();
    let stopped;
    try {
      stopped = await service.stop('SIGKILL');
    } finally {
      await release();
    }
    const transaction = waiting ? await transactionOutcome(this.postgres, waiting.xid) : `none waited within ${seconds(OPEN_TRANSACTION_WAIT_MS)}`;
    const t0 = performance.now();
    await service.start();
    return { midTransaction: transaction === 'aborted', transaction, duringSending, exit: stopped.signal ?? stopped.code, restartMs: Math.round(performance.now() - t0) };
  }

  'kill-timeline'(sendingDone) {
    return this.killMidTransaction(this.timeline, 'timeline', 'aftermath', sendingDone);
  }

  'kill-renderer'(sendingDone) {
    return this.killMidTransaction(this.renderer, 'renderer', RENDERER_DATABASE, sendingDone);
  }

  async 'restart-postgres'() {
    await this.postgres.stop('immediate');
    const t0 = performance.now();
    await sleep(this.downMs);
    await this.postgres.start();
    const downMs = Math.round(performance.now() - t0);
    await bothReady(this.ingest, this.timeline);
    return { mode: 'immediate', downMs, recoveredMs: Math.round(performance.now() - t0) };
  }

  async 'restart-kafka'() {
    const t0 = performance.now();
    await this.kafka.stop();
    const stopMs = Math.round(performance.now() - t0);
    await sleep(this.downMs);
    await this.kafka.start();
    const downMs = Math.round(performance.now() - t0);
    await bothReady(this.ingest, this.timeline);
    return { stopMs, downMs, recoveredMs: Math.round(performance.now() - t0) };
  }

  /** SIGKILL the broker (no clean shutdown: the JVM recovers its logs at the next start), then start it again. */
  async 'kill-kafka'(sendingDone) {
    const pid = this.kafka.pid();
    if (!pid) throw new Error('the private broker is not running');
    const duringSending = !sendingDone();
    const t0 = performance.now();
    process.kill(pid, 'SIGKILL');
    await waitUntil(() => !alive(pid), { what: `broker pid ${pid} to exit`, timeoutMs: 10_000, everyMs: 20 });
    await sleep(this.downMs);
    await this.kafka.start();
    const downMs = Math.round(performance.now() - t0);
    await bothReady(this.ingest, this.timeline);
    return { duringSending, downMs, recoveredMs: Math.round(performance.now() - t0) };
  }

  async 'restart-ingest'() {
    const stopped = await this.ingest.stop('SIGTERM');
    const t0 = performance.now();
    await this.ingest.start();
    return { exit: stopped.code ?? stopped.signal, stopMs: Math.round(stopped.ms), forced: stopped.forced, restartMs: Math.round(performance.now() - t0) };
  }
}

export function describe(record) {
  if (record.error) return `FAILED: ${record.error}`;
  const pauses = [
    record.ackPauseMs !== undefined ? `longest pause in 202s ${seconds(record.ackPauseMs)}` : null,
    record.storePauseMs !== undefined ? `in storing ${seconds(record.storePauseMs)}` : null,
  ].filter(Boolean);
  return `${what(record)}${pauses.length ? `; ${pauses.join(', ')}` : ''}`;
}

function what(record) {
  switch (record.fault) {
    case 'kill-timeline':
    case 'kill-renderer':
      return `SIGKILL ${record.midTransaction ? 'mid-transaction (its open transaction aborted)' : `NOT mid-transaction (${record.transaction})`}, back in ${seconds(record.restartMs)}`;
    case 'kill-kafka':
      return `SIGKILL, down ${seconds(record.downMs)}, services ready ${seconds(record.recoveredMs)} after the kill`;
    case 'restart-postgres':
      return `immediate stop (crash), down ${seconds(record.downMs)}, services ready ${seconds(record.recoveredMs)} after the stop`;
    case 'restart-kafka':
      return `clean stop in ${seconds(record.stopMs)}, down ${seconds(record.downMs)}, services ready ${seconds(record.recoveredMs)} after the stop began`;
    case 'restart-ingest':
      return `SIGTERM, exited ${record.forced ? 'only after SIGKILL' : `with ${record.exit}`} in ${seconds(record.stopMs)}, back in ${seconds(record.restartMs)}`;
    default:
      return '';
  }
}
