// HTTP load generator, run in a worker thread so it does not share the event loop of the server under
// test: keep-alive connections (node:http Agent), bounded concurrency (one request in flight per
// connection), a pool of pre-built request bodies reused in turn. Loopback only.
import http from 'node:http';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';

/** Runs `options` in a worker: { url, bodies?: {mode, perRequest, pool, run}, concurrency, warmupSeconds, seconds }. */
export function runLoadInWorker(options) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(fileURLToPath(import.meta.url), { workerData: options });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`load worker exited with ${code}`)));
  });
}

function post(agent, url, body) {
  return new Promise((resolve) => {
    const request = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', (error) => resolve({ status: 0, body: error.message }));
    });
    request.on('error', (error) => resolve({ status: 0, body: error.message }));
    request.end(body);
  });
}

async function run({ url, bodies, concurrency, warmupSeconds, seconds }) {
  const { buildBodies } = await import('./bodies.mjs');
  const pool = buildBodies(bodies);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  let phase = 'warmup';
  const stats = { requests: 0, accepted: 0, errors: 0, statuses: {}, latencies: [], firstError: null };
  const worker = async () => {
    while (phase !== 'done') {
      const body = pool[next++ % pool.length];
      const started = performance.now();
      const { status, body: answer } = await post(agent, url, body);
      if (phase !== 'measure') continue;
      stats.requests += 1;
      stats.statuses[status] = (stats.statuses[status] ?? 0) + 1;
      if (status === 202) {
        stats.accepted += JSON.parse(answer).accepted;
        stats.latencies.push(performance.now() - started);
      } else {
        stats.errors += 1;
        stats.firstError ??= `${status}: ${answer.slice(0, 300)}`;
      }
    }
  };
  const workers = Array.from({ length: concurrency }, worker);
  await new Promise((resolve) => setTimeout(resolve, warmupSeconds * 1000));
  phase = 'measure';
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  phase = 'done';
  const elapsed = (performance.now() - started) / 1000;
  await Promise.all(workers);
  agent.destroy();
  return { ...stats, seconds: elapsed, latencies: undefined, latencyMs: latencySummary(stats.latencies) };
}

function latencySummary(values) {
  const sorted = Float64Array.from(values).sort();
  const at = (p) => (sorted.length ? Number(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)].toFixed(1)) : null);
  return { p50: at(50), p95: at(95), p99: at(99), n: sorted.length };
}

if (!isMainThread && workerData?.url) {
  parentPort.postMessage(await run(workerData));
}
