// The fault schedule: each fault fires when the senders reach a share of acknowledged events, and the
// next one waits until the previous one's service is back. Every fault is recorded with its timings.
import pg from 'pg';
import { clock, seconds, sleep, waitUntil } from './util.mjs';

/** Default schedule, as shares of acknowledged events. */
export const SCHEDULE = [
  { share: 0.1, fault: 'kill-timeline' },
  { share: 0.25, fault: 'restart-postgres' },
  { share: 0.42, fault: 'restart-kafka' },
  { share: 0.6, fault: 'restart-ingest' },
  { share: 0.78, fault: 'kill-timeline' },
];

/**
 * Waits (up to `timeoutMs`) until a timeline connection is inside a transaction, so a SIGKILL lands
 * mid-batch; resolves whether it saw one.
 */
async function waitForOpenTransaction(postgres, timeoutMs) {
  const client = new pg.Client({ host: '127.0.0.1', port: postgres.port, user: 'postgres', database: 'aftermath', connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const { rows } = await client.query(
        `SELECT count(*)::int AS open FROM pg_stat_activity
         WHERE datname = 'aftermath' AND pid <> pg_backend_pid() AND backend_type = 'client backend'
           AND xact_start IS NOT NULL AND state IN ('active', 'idle in transaction')`,
      );
      if (rows[0].open > 0) return true;
      await sleep(5);
    }
    return false;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function bothReady(ingest, timeline, timeoutMs = 120_000) {
  await waitUntil(async () => (await ingest.ready()) && (await timeline.ready()), { what: 'ingest and timeline to be ready again', timeoutMs, everyMs: 200 });
}

export class FaultRunner {
  constructor({ postgres, kafka, ingest, timeline, senders, schedule = SCHEDULE, downMs, log }) {
    Object.assign(this, { postgres, kafka, ingest, timeline, senders, schedule, downMs, log });
    this.timeline_ = [];
  }

  get records() {
    return this.timeline_;
  }

  async run(sendingDone) {
    for (const step of this.schedule) {
      await waitUntil(() => sendingDone() || this.senders.progress() >= step.share, { what: `${Math.round(step.share * 100)}% acknowledged`, timeoutMs: 24 * 3600_000, everyMs: 50 });
      const at = clock();
      const t0 = performance.now();
      const record = { fault: step.fault, atShare: Number(this.senders.progress().toFixed(3)), at: Number(at.toFixed(1)) };
      this.log(`fault: ${step.fault} at ${(record.atShare * 100).toFixed(1)}% acknowledged`);
      const sampler = this.sample(sendingDone);
      try {
        Object.assign(record, await this[step.fault]());
      } catch (error) {
        record.error = error.message;
        this.log(`fault ${step.fault} could not be completed: ${error.message}`);
      }
      record.tookMs = Math.round(performance.now() - t0);
      if (!record.error) await this.measureResumption(record, t0, sendingDone);
      Object.assign(record, await sampler.stop());
      this.timeline_.push(record);
      this.log(`fault: ${step.fault} done in ${seconds(record.tookMs)} (${describe(record)})`);
    }
  }

  /**
   * Samples acknowledged and stored counts every 250 ms from the fault's start; `stop()` gives the
   * longest stretch in which each did not grow (the pause the fault caused).
   */
  sample(sendingDone) {
    const samples = [];
    let running = true;
    const loop = (async () => {
      while (running) {
        const t = performance.now();
        const acked = this.senders.acked.size;
        const stored = await this.postgres
          .query('SELECT count(*)::int AS n FROM events')
          .then((rows) => rows[0].n)
          .catch(() => null);
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
   * and the timeline stores events again. Neither within `stuckMs` is a stuck pipeline.
   */
  async measureResumption(record, t0, sendingDone, stuckMs = 180_000) {
    const storedNow = async () => (await this.postgres.query('SELECT count(*)::int AS n FROM events'))[0].n;
    const acked0 = this.senders.acked.size;
    const stored0 = await storedNow().catch(() => 0);
    try {
      await waitUntil(() => this.senders.acked.size > acked0 || sendingDone(), { what: 'ingest to acknowledge events again', timeoutMs: stuckMs, everyMs: 50 });
      if (this.senders.acked.size > acked0) record.acksResumedMs = Math.round(performance.now() - t0);
      await waitUntil(async () => (await storedNow()) > stored0 || (sendingDone() && stored0 >= this.senders.acked.size), {
        what: 'the timeline to store events again',
        timeoutMs: stuckMs,
        everyMs: 100,
      });
      if ((await storedNow()) > stored0) record.storingResumedMs = Math.round(performance.now() - t0);
    } catch (error) {
      record.error = `stuck: ${error.message}`;
    }
  }

  async 'kill-timeline'() {
    const midTransaction = await waitForOpenTransaction(this.postgres, 3_000);
    const stopped = await this.timeline.stop('SIGKILL');
    const t0 = performance.now();
    await this.timeline.start();
    return { midTransaction, exit: stopped.signal ?? stopped.code, restartMs: Math.round(performance.now() - t0) };
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
      return `SIGKILL ${record.midTransaction ? 'mid-transaction' : 'between transactions'}, back in ${seconds(record.restartMs)}`;
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
