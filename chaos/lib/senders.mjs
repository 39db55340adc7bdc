// Concurrent senders that behave like Alertmanager's webhook notifier: a request that fails with a 5xx
// (or 429), a connection error or a timeout is sent again, the same batch with the same event ids, after
// an exponential backoff with jitter (initial 500 ms, x1.5, +-50%, capped), until it is acknowledged
// or a long bound has passed. A 4xx other than 408/429 is final (and, for this traffic, a harness bug).
import { percentile, sleep } from './util.mjs';

const INITIAL_MS = 500;
const MULTIPLIER = 1.5;
const JITTER = 0.5;

export class Senders {
  constructor({ url, batches, concurrency, rate, giveUpMs, maxBackoffMs, requestTimeoutMs, log }) {
    this.url = url;
    this.batches = batches;
    this.concurrency = concurrency;
    this.rate = rate; // events per second; 0 = as fast as ingest takes them
    this.giveUpMs = giveUpMs;
    this.maxBackoffMs = maxBackoffMs;
    this.requestTimeoutMs = requestTimeoutMs;
    this.log = log;
    this.total = batches.reduce((sum, b) => sum + b.length, 0);
    this.sent = new Set(); // ids put on the wire at least once
    this.acked = new Set(); // ids in a 202's eventIds
    this.givenUp = new Set();
    this.rejected = new Set();
    this.stats = { requests: 0, accepted: 0, retries: 0, byStatus: {}, connectionErrors: 0, timeouts: 0, latenciesMs: [], mismatchedAcks: 0, slowestFailureMs: 0 };
    this.next = 0;
    this.firstError = null;
  }

  /** Share of events acknowledged so far (drives the fault schedule). */
  progress() {
    return this.acked.size / this.total;
  }

  async run() {
    this.t0 = performance.now();
    // cumulative event counts, for pacing: batch j is not sent before t0 + before[j] / rate
    this.before = [];
    let cumulative = 0;
    for (const batch of this.batches) {
      this.before.push(cumulative);
      cumulative += batch.length;
    }
    await Promise.all(Array.from({ length: this.concurrency }, () => this.worker()));
    this.ms = performance.now() - this.t0;
  }

  async worker() {
    for (;;) {
      const index = this.next;
      if (index >= this.batches.length) return;
      this.next += 1;
      if (this.rate > 0) {
        const due = this.t0 + (this.before[index] / this.rate) * 1000;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
      }
      await this.deliver(this.batches[index]);
    }
  }

  async deliver(batch) {
    const body = JSON.stringify(batch);
    const ids = batch.map((event) => event.id);
    const started = performance.now();
    let backoff = INITIAL_MS;
    for (let attempt = 1; ; attempt += 1) {
      for (const id of ids) this.sent.add(id);
      const outcome = await this.post(body);
      if (outcome.status === 202) {
        const acknowledged = outcome.json?.eventIds;
        if (!Array.isArray(acknowledged) || acknowledged.length !== ids.length || acknowledged.some((id, i) => id !== ids[i])) {
          this.stats.mismatchedAcks += 1;
          this.firstError ??= `a 202 whose eventIds differ from the batch sent: ${JSON.stringify(outcome.json).slice(0, 200)}`;
        }
        for (const id of Array.isArray(acknowledged) ? acknowledged : []) this.acked.add(id);
        this.stats.accepted += 1;
        this.stats.latenciesMs.push(outcome.ms);
        return;
      }
      this.stats.slowestFailureMs = Math.max(this.stats.slowestFailureMs, outcome.ms);
      const retryable = outcome.status === undefined || outcome.status >= 500 || outcome.status === 429 || outcome.status === 408;
      if (!retryable) {
        for (const id of ids) this.rejected.add(id);
        this.firstError ??= `ingest answered ${outcome.status} to a valid batch: ${outcome.text?.slice(0, 300)}`;
        this.log(`batch rejected with ${outcome.status}: ${outcome.text?.slice(0, 300)}`);
        return;
      }
      const elapsed = performance.now() - started;
      if (elapsed >= this.giveUpMs) {
        for (const id of ids) this.givenUp.add(id);
        this.log(`giving up on a batch of ${ids.length} after ${attempt} attempts (${Math.round(elapsed / 1000)} s): ${outcome.status ?? outcome.error}`);
        return;
      }
      this.stats.retries += 1;
      const delay = Math.min(this.maxBackoffMs, backoff) * (1 - JITTER + Math.random() * 2 * JITTER);
      backoff *= MULTIPLIER;
      await sleep(Math.min(delay, this.giveUpMs - elapsed));
    }
  }

  async post(body) {
    this.stats.requests += 1;
    const t0 = performance.now();
    try {
      const response = await fetch(`${this.url}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(this.requestTimeoutMs),
      });
      const text = await response.text();
      this.stats.byStatus[response.status] = (this.stats.byStatus[response.status] ?? 0) + 1;
      let json;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: response.status, text, json, ms: performance.now() - t0 };
    } catch (error) {
      const timeout = error.name === 'TimeoutError' || error.name === 'AbortError';
      if (timeout) this.stats.timeouts += 1;
      else this.stats.connectionErrors += 1;
      return { error: timeout ? 'timeout' : (error.cause?.code ?? error.message), ms: performance.now() - t0 };
    }
  }

  summary() {
    const sorted = [...this.stats.latenciesMs].sort((a, b) => a - b);
    return {
      requests: this.stats.requests,
      acceptedRequests: this.stats.accepted,
      retries: this.stats.retries,
      byStatus: this.stats.byStatus,
      connectionErrors: this.stats.connectionErrors,
      timeouts: this.stats.timeouts,
      mismatchedAcks: this.stats.mismatchedAcks,
      slowestFailureMs: Math.round(this.stats.slowestFailureMs),
      latencyMs: { p50: Math.round(percentile(sorted, 50)), p99: Math.round(percentile(sorted, 99)), max: Math.round(sorted.at(-1) ?? 0) },
    };
  }
}
