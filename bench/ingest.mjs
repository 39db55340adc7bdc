#!/usr/bin/env node
// Ingest benchmark (issue 4). Starts the BUILT ingest service in this process
// (startIngest(loadIngestConfig(env)) from apps/ingest/dist) on a fresh topic prefix, and loads it from a
// worker thread (keep-alive node:http, bounded concurrency, loopback):
//   (a) POST /v1/events with arrays of 100 envelopes -> accepted events/s   (target >= 20,000)
//   (b) POST /v1/events with one envelope per request -> requests/s         (target >= 2,000)
// Baseline in the same run, same load, same process: a bare node:http server that JSON-parses the body
// and produces the same events with kafkajs, same producer settings (idempotent, maxInFlightRequests 5,
// acks=-1, key = service, value = the envelope as JSON), answering 202 with the same JSON shape.
// The two servers are measured alternately (ingest, baseline) for each mode.
//
// Options: --seconds=10 (measured, per server and mode), --warmup=2, --concurrency=32, --batch=100,
// --log-level=warn (ingest's LOG_LEVEL; at info it writes one access-log line per request to stdout).
import http from 'node:http';
import { join } from 'node:path';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { KAFKA_BROKERS, ROOT, Report, option, round, runBench } from './lib/common.mjs';
import { runLoadInWorker } from './lib/http-load.mjs';
import { assertBuilt, importBuilt } from './lib/services.mjs';
import { printProfile, startProfiler } from './lib/profile-top.mjs';

const SECONDS = option('seconds', 10);
const WARMUP = option('warmup', 2);
const CONCURRENCY = option('concurrency', 32);
const BATCH = option('batch', 100);
const LOG_LEVEL = option('log-level', 'warn');
const EXTRA = option('uncompressed-baseline', false);
const PROFILE = option('profile', false);
const MODES = option('modes', 'batch,single').split(',');

await runBench('ingest', async (env) => {
  assertBuilt();
  const report = new Report('ingest', 'POST /v1/events throughput of the ingest service (in-process, load from a worker thread)');
  report.options({ seconds: SECONDS, warmup: WARMUP, concurrency: CONCURRENCY, batch: BATCH, logLevel: LOG_LEVEL, topicPrefix: env.topicPrefix });
  await env.createTopics();

  const { startIngest } = await importBuilt('apps/ingest/dist/app.js');
  const { loadIngestConfig } = await importBuilt('apps/ingest/dist/config.js');
  const { useFastGzipCodec, useStockGzipCodec } = await importBuilt('libs/platform/dist/index.js');
  const app = await startIngest(loadIngestConfig({ ...env.env, INGEST_PORT: '0', INGEST_HOST: '127.0.0.1', LOG_LEVEL: LOG_LEVEL }));
  env.onCleanup(() => app.close());
  const ingestUrl = `${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/v1/events`;
  const bare = await startBareServer(env.topics.events);
  env.onCleanup(() => bare.close());
  const plain = EXTRA ? await startBareServer(env.topics.events, { compression: CompressionTypes.None }) : null;
  if (plain) env.onCleanup(() => plain.close());

  const modes = [
    { mode: 'batch', label: `batches of ${BATCH}`, pool: 200 },
    { mode: 'single', label: 'single events', pool: 5000 },
  ];
  const results = {};
  const profiles = {};
  for (const { mode, label, pool } of modes.filter((m) => MODES.includes(m.mode))) {
    for (const [server, url] of [['ingest', ingestUrl], ['baseline', bare.url], ...(plain ? [['baseline-uncompressed', plain.url]] : [])]) {
      // Each server with its own gzip codec: ingest's (libs/platform's fast one), the baseline stock kafkajs'.
      if (server === 'ingest') useFastGzipCodec();
      else useStockGzipCodec();
      const profiler = PROFILE && server === 'ingest' ? await startProfiler() : null;
      const result = await runLoadInWorker({ url, bodies: { mode, perRequest: BATCH, pool, run: `${mode}-${server}` }, concurrency: CONCURRENCY, warmupSeconds: WARMUP, seconds: SECONDS });
      if (profiler) profiles[mode] = await profiler.stop(join(ROOT, 'bench', 'results', `ingest-${mode}-${Date.now()}.cpuprofile`));
      results[`${mode}_${server}`] = { ...result, eventsPerSecond: result.accepted / result.seconds, requestsPerSecond: (result.requests - result.errors) / result.seconds };
      console.log(
        `... ${server}, ${label}: ${result.requests} requests (${result.errors} errors${result.firstError ? `, first: ${result.firstError}` : ''}), ${result.accepted} events accepted in ${result.seconds.toFixed(1)} s; ` +
          `request latency p50 ${result.latencyMs.p50} p95 ${result.latencyMs.p95} p99 ${result.latencyMs.p99} ms`,
      );
    }
  }

  console.log('results:');
  if (!results.batch_ingest || !results.single_ingest) {
    for (const [key, r] of Object.entries(results)) console.log(`  ${key}: ${Math.round(r.eventsPerSecond)} events/s, ${Math.round(r.requestsPerSecond)} requests/s`);
    for (const [mode, profile] of Object.entries(profiles)) {
      console.log(`  ingest, ${mode} (main thread: server and producer):`);
      printProfile(profile.summary);
    }
    return;
  }
  const baselineLabel = 'bare node:http + kafkajs, same load';
  report.figure({
    key: 'batch_events_per_second',
    label: `ingest POST /v1/events, ${BATCH} events per request`,
    value: results.batch_ingest.eventsPerSecond,
    unit: 'events/s',
    baseline: { label: baselineLabel, value: results.batch_baseline.eventsPerSecond },
    target: { op: '>=', value: 20_000, text: '>= 20,000 events/s' },
  });
  report.figure({
    key: 'single_requests_per_second',
    label: 'ingest POST /v1/events, 1 event per request',
    value: results.single_ingest.requestsPerSecond,
    unit: 'requests/s',
    baseline: { label: baselineLabel, value: results.single_baseline.requestsPerSecond },
    target: { op: '>=', value: 2_000, text: '>= 2,000 requests/s' },
  });
  for (const [key, result] of Object.entries(results)) if (result.errors > 0) report.note(`${key}: ${result.errors} non-202 answers (${JSON.stringify(result.statuses)})`);
  report.info('runs', Object.fromEntries(Object.entries(results).map(([key, r]) => [key, { ...r, eventsPerSecond: round(r.eventsPerSecond, 1), requestsPerSecond: round(r.requestsPerSecond, 1), seconds: round(r.seconds, 2) }])));
  for (const [mode, profile] of Object.entries(profiles)) {
    console.log(`  ingest, ${mode} (main thread: server and producer):`);
    printProfile(profile.summary);
    report.info(`profile_${mode}`, { file: profile.file.slice(ROOT.length + 1), ...profile.summary });
  }
  report.write();
});

/** The baseline: parse, produce with ingest's producer settings, answer 202 { accepted, eventIds }. */
async function startBareServer(topic, { compression = CompressionTypes.GZIP } = {}) {
  const kafka = new Kafka({ clientId: 'bench-bare-ingest', brokers: KAFKA_BROKERS.split(','), logLevel: logLevel.ERROR, retry: { initialRetryTime: 200, retries: 8 } });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 5, retry: { retries: 5, initialRetryTime: 100 } });
  await producer.connect();
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', async () => {
      let body;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        response.writeHead(400).end();
        return;
      }
      const events = Array.isArray(body) ? body : [body];
      try {
        await producer.send({ topic, acks: -1, timeout: 10_000, compression, messages: events.map((event) => ({ key: event.service, value: JSON.stringify(event) })) });
        response.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: events.length, eventIds: events.map((event) => event.id) }));
      } catch (error) {
        response.writeHead(503).end(error.message);
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/v1/events`,
    async close() {
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
      await producer.disconnect();
    },
  };
}
