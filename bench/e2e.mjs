#!/usr/bin/env node
// End-to-end benchmark (issue 6), `npm run bench`. Runs the three BUILT services as child processes
// (`node apps/<svc>/dist/main.js`, default LOG_LEVEL=info, output piped to this process) on a fresh topic
// prefix and database, and posts events to ingest's POST /v1/events in batches:
//   (1) throughput: N events (default 50,000) in batches of 100, 8 requests in flight; end-to-end rate =
//       N / (first request sent -> all N rows committed by the timeline, count(*) sampled every 200 ms).
//   (2) latency: 1,000 events/s (10 events per request every 10 ms) for 20 s; latency from ingest's 202
//       (Kafka acknowledged) to the projection commit (first 5 ms poll that sees the event's row).
//   Peak resident memory of each service: max VmHWM/VmRSS of /proc/<pid>/status, sampled every 100 ms.
// Baselines, same run (after the services stopped): Kafka alone (the same N events produced in sends of
// 100, 8 in flight, ingest's producer settings, and consumed by a no-work kafkajs consumer on another
// topic: first send -> last consumed) and PostgreSQL alone (the same rows, unnest insert, in batches of
// the timeline's mean batch size, one transaction each).
//
// Options: --events=50000, --batch=100, --concurrency=8, --rate=1000, --latency-seconds=20,
// --log-level=info, --renderer-wait=60 (seconds to wait for the renderer to catch up, for its memory),
// --profile (CPU profile of each service during the throughput run, top functions printed),
// --trace (the committed count every 200 ms of the throughput run, seconds:count).
import http from 'node:http';
import { join } from 'node:path';
import { CompressionTypes } from 'kafkajs';
import { ROOT, Report, option, percentiles, round, runBench, sleep } from './lib/common.mjs';
import { generateEvents, outOfOrderCount, toMessage } from './lib/events.mjs';
import { arrivalsConsumer, noWorkConsumer, pgInsertBaseline } from './lib/baselines.mjs';
import { commitWatcher, countUntil, nowMs } from './lib/pollers.mjs';
import { assertBuilt, metricSum, startService } from './lib/services.mjs';
import { printProfile, summariseProfile } from './lib/profile-top.mjs';

const EVENTS = option('events', 50_000);
const BATCH = option('batch', 100);
const CONCURRENCY = option('concurrency', 8);
const RATE = option('rate', 1000);
const LATENCY_SECONDS = option('latency-seconds', 20);
const LOG_LEVEL = option('log-level', 'info');
const RENDERER_WAIT = option('renderer-wait', 60);
const PROFILE = option('profile', false);
const TRACE = option('trace', false);
const TICK_MS = 10;
const RSS_LIMIT_MB = 200;

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function post(url, body) {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

async function postAccepted(url, events) {
  for (let attempt = 1; ; attempt += 1) {
    const answer = await post(url, JSON.stringify(events));
    if (answer.status === 202) return;
    if (answer.status !== 503 || attempt >= 5) throw new Error(`ingest answered ${answer.status}: ${answer.body.slice(0, 300)}`);
    await sleep(500);
  }
}

await runBench('e2e', async (env) => {
  assertBuilt();
  const report = new Report('e2e', 'ingest -> Kafka -> timeline -> PostgreSQL (+ renderer), services as child processes');
  report.options({ events: EVENTS, batch: BATCH, concurrency: CONCURRENCY, rate: RATE, latencySeconds: LATENCY_SECONDS, logLevel: LOG_LEVEL, topicPrefix: env.topicPrefix });
  await env.createTopics();
  await env.createDatabase();

  const serviceEnv = { ...env.env, LOG_LEVEL, TIMELINE_CONSUMER_GROUP: `${env.topicPrefix}timeline`, RENDERER_CONSUMER_GROUP: `${env.topicPrefix}renderer` };
  const profileOf = (name) => (PROFILE ? { cpuProfile: join(ROOT, 'bench', 'results', `e2e-${name}-${Date.now()}.cpuprofile`) } : {});
  const timeline = await startService('timeline', serviceEnv, profileOf('timeline'));
  env.onCleanup(() => timeline.stop());
  const renderer = await startService('renderer', serviceEnv, profileOf('renderer'));
  env.onCleanup(() => renderer.stop());
  const ingest = await startService('ingest', serviceEnv, profileOf('ingest'));
  env.onCleanup(() => ingest.stop());
  const services = [ingest, timeline, renderer];
  const eventsUrl = `${ingest.url}/v1/events`;
  console.log(`... services ready: ${services.map((s) => `${s.name} pid ${s.pid}`).join(', ')}`);

  // (1) Throughput.
  const events = generateEvents({ count: EVENTS, run: `e${env.id.slice(-6)}` });
  const requests = [];
  for (let i = 0; i < events.length; i += BATCH) requests.push(events.slice(i, i + BATCH));
  const counting = countUntil(env.databaseUrl, EVENTS, { timeoutMs: Math.max(180_000, EVENTS * 3) });
  counting.catch(() => undefined);
  const postStarted = nowMs();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < requests.length) await postAccepted(eventsUrl, requests[next++]);
    }),
  );
  const postDone = nowMs();
  const committed = await counting;
  const e2eSeconds = (committed.lastAt - postStarted) / 1000;
  if (TRACE) console.log(`... committed (s:count): ${committed.samples.map(([at, n]) => `${((at - postStarted) / 1000).toFixed(1)}:${n}`).join(' ')}`);
  const e2eRate = committed.committed / e2eSeconds;
  const ingestRate = EVENTS / ((postDone - postStarted) / 1000);
  const afterThroughput = await timeline.metrics();
  const meanBatch = metricSum(afterThroughput, 'aftermath_timeline_batch_size_sum') / Math.max(1, metricSum(afterThroughput, 'aftermath_timeline_batch_size_count'));
  console.log(
    `... throughput: ${EVENTS} events (${outOfOrderCount(events)} out of order) accepted by ingest in ${((postDone - postStarted) / 1000).toFixed(1)} s, ` +
      `${committed.committed} committed ${e2eSeconds.toFixed(1)} s after the first request; timeline mean batch ${Math.round(meanBatch)}`,
  );
  if (PROFILE) {
    for (const service of services) {
      console.log(`  ${service.name} during the throughput run:`);
      printProfile(summariseProfile(await service.writeProfile(), 12));
    }
  }
  if (!committed.complete) report.note(`only ${committed.committed} of ${EVENTS} events were committed before the time limit`);

  // (2) Latency at a steady rate.
  const latency = await measureLatency(env, eventsUrl);

  // The renderer's share of the work, for its memory figure (bounded wait).
  const rendererTarget = EVENTS + latency.events;
  const rendererStarted = Date.now();
  let rendered = 0;
  while (Date.now() - rendererStarted < RENDERER_WAIT * 1000) {
    rendered = metricSum(await renderer.metrics(), 'aftermath_renderer_events_total');
    if (rendered >= rendererTarget) break;
    await sleep(500);
  }
  console.log(`... renderer: ${rendered}/${rendererTarget} correlated events stored${rendered < rendererTarget ? ` after waiting ${RENDERER_WAIT} s` : ''}`);

  const memory = {};
  for (const service of services) {
    await service.stop();
    memory[service.name] = { peakMB: round(service.peakMB(), 1), atReadyMB: round((service.memory.readyRssKiB * 1024) / 1e6, 1) };
  }

  // Baselines, with the services stopped.
  const kafkaOnly = await kafkaBaseline(env, events);
  console.log(`... Kafka alone: ${EVENTS} events produced (sends of ${BATCH}, ${CONCURRENCY} in flight) and consumed in ${kafkaOnly.seconds.toFixed(2)} s`);
  const batchSize = Math.max(1, Math.round(meanBatch));
  const pgOnly = await pgInsertBaseline(env.databaseUrl, events, batchSize);
  console.log(`... PostgreSQL alone: ${EVENTS} rows in batches of ${batchSize} in ${pgOnly.seconds.toFixed(2)} s`);

  console.log('results:');
  const slower = kafkaOnly.rate < pgOnly.rate ? { label: 'Kafka produce+consume, no work (the slower baseline)', value: kafkaOnly.rate } : { label: `PostgreSQL insert alone, batches of ${batchSize} (the slower baseline)`, value: pgOnly.rate };
  const faster = kafkaOnly.rate < pgOnly.rate ? { label: `PostgreSQL insert alone, batches of ${batchSize}`, value: pgOnly.rate } : { label: 'Kafka produce+consume, no work', value: kafkaOnly.rate };
  report.figure({
    key: 'throughput',
    label: 'end-to-end throughput (POST -> committed projection)',
    value: e2eRate,
    unit: 'events/s',
    baseline: slower,
    target: { op: '>=', value: 5000, text: '>= 5,000 events/s' },
  });
  report.figure({ key: 'throughput_share_of_slower_baseline', label: 'end-to-end throughput as a share of the slower baseline', value: e2eRate / slower.value, unit: '', target: { op: '>=', value: 0.3, text: '>= 0.30' } });
  report.figure({ key: 'throughput_vs_faster_baseline', label: 'end-to-end throughput', value: e2eRate, unit: 'events/s', baseline: faster });
  report.figure({ key: 'ingest_accept_rate', label: 'ingest acceptance rate during the throughput run', value: ingestRate, unit: 'events/s', baseline: { label: 'Kafka produce+consume, no work', value: kafkaOnly.rate } });
  for (const p of ['p50', 'p95', 'p99']) {
    report.figure({
      key: `latency_${p}`,
      label: `ingest 202 -> projection commit ${p} at ${Math.round(latency.achievedRate)} events/s`,
      value: latency.commit[p],
      unit: 'ms',
      baseline: { label: 'Kafka ack -> no-work consumer, same run', value: latency.kafka[p] },
      target: p === 'p99' ? { op: '<', value: 250, text: 'p99 < 250 ms at 1,000 events/s' } : undefined,
    });
  }
  for (const service of services) {
    report.figure({
      key: `peak_rss_${service.name}`,
      label: `${service.name} peak resident memory (${memory[service.name].atReadyMB} MB when ready)`,
      value: memory[service.name].peakMB,
      unit: 'MB',
      target: { op: '<', value: RSS_LIMIT_MB, text: `< ${RSS_LIMIT_MB} MB` },
    });
  }
  report.info('throughput', { events: EVENTS, seconds: round(e2eSeconds, 2), rate: round(e2eRate, 1), ingestSeconds: round((postDone - postStarted) / 1000, 2), timelineMeanBatch: round(meanBatch, 1) });
  report.info('latency', latency);
  report.info('memoryMB', memory);
  report.info('renderer', { stored: rendered, expected: rendererTarget });
  report.info('baselines', { kafka: kafkaOnly, pg: { ...pgOnly, batchSize } });
  report.write();
});

/** RATE events/s to ingest, TICK_MS apart; latency from each 202 to the commit of its events. */
async function measureLatency(env, eventsUrl) {
  const total = RATE * LATENCY_SECONDS;
  const perTick = Math.max(1, Math.round((RATE * TICK_MS) / 1000));
  const events = generateEvents({ count: total, run: `l${env.id.slice(-6)}`, startMs: Date.UTC(2025, 6, 1), seed: 11 });
  const watcher = await commitWatcher(env.databaseUrl, { intervalMs: 5 });
  // Baseline for this phase: a no-work consumer on the same topic, from the Kafka ack (as seen by ingest's 202) on.
  const { consumedAt, stop: stopArrivals } = await arrivalsConsumer(env);
  const ackedAt = new Map();
  const requests = [];
  let failures = 0;
  // Each failed request's status (0 = no answer) and the first answer of each, so a failure says why.
  const failedStatuses = {};
  const failure = (status, reason) => {
    failures += 1;
    failedStatuses[status] ??= { count: 0, first: reason.slice(0, 300) };
    failedStatuses[status].count += 1;
  };
  const started = nowMs();
  for (let tick = 0, sent = 0; sent < total; tick += 1) {
    const wait = started + tick * TICK_MS - nowMs();
    if (wait > 0) await sleep(wait);
    const slice = events.slice(sent, sent + perTick);
    sent += slice.length;
    watcher.track(slice.map((event) => event.id));
    requests.push(
      post(eventsUrl, JSON.stringify(slice)).then(
        ({ status, body }) => {
          if (status !== 202) return void failure(status, body);
          const at = nowMs();
          for (const event of slice) ackedAt.set(event.id, at);
        },
        (error) => void failure(0, error.message ?? String(error)),
      ),
    );
  }
  const lastSendAt = nowMs();
  await Promise.all(requests);
  // The rate offered: events sent over the sending window (the last send is due at started + (ticks - 1) * TICK_MS).
  const achievedRate = total / ((lastSendAt - started + TICK_MS) / 1000);
  const left = await watcher.drain(30_000);
  const poll = await watcher.stop();
  await sleep(300);
  await stopArrivals();
  const commit = [];
  const kafka = [];
  for (const [id, ack] of ackedAt) {
    const seen = watcher.seen.get(id);
    if (seen) commit.push(Math.max(0, seen.committedMs - ack));
    const consumed = consumedAt.get(id);
    if (consumed !== undefined) kafka.push(Math.max(0, consumed - ack));
  }
  console.log(
    `... latency: ${total} events at ${Math.round(achievedRate)} events/s (${perTick} per request every ${TICK_MS} ms), ${failures} failed requests${failures ? ` ${JSON.stringify(failedStatuses)}` : ''}; ` +
      `${commit.length} commits observed${left ? `, ${left} not within 30 s` : ''}; mean poll ${poll.meanPollMs.toFixed(1)} ms`,
  );
  return { events: total, achievedRate: round(achievedRate, 1), failures, failedStatuses, notCommitted: left, pollIntervalMs: 5, meanPollMs: round(poll.meanPollMs, 2), commit: percentiles(commit), kafka: percentiles(kafka) };
}

/** Kafka alone: the same events, produced like ingest does (idempotent, acks=-1, gzip) and consumed with no work. */
async function kafkaBaseline(env, events) {
  const topic = `${env.topicPrefix}baseline-events`;
  const admin = env.kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 6, replicationFactor: -1 }] });
  await admin.disconnect();
  let lastConsumed = 0;
  const consumer = await noWorkConsumer(env.kafka, topic, { groupId: `${env.topicPrefix}noop-e2e`, expected: events.length, onBatch: () => undefined });
  await consumer.joined;
  await sleep(1000);
  const producer = env.kafka.producer({ idempotent: true, maxInFlightRequests: 5, retry: { retries: 5, initialRetryTime: 100 } });
  await producer.connect();
  const messages = events.map(toMessage);
  const started = nowMs();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < messages.length) {
        const from = next;
        next += BATCH;
        await producer.send({ topic, acks: -1, timeout: 10_000, compression: CompressionTypes.GZIP, messages: messages.slice(from, from + BATCH) });
      }
    }),
  );
  const produced = nowMs();
  await Promise.race([consumer.done, sleep(120_000)]);
  lastConsumed = nowMs();
  const stats = consumer.stats();
  await consumer.stop();
  await producer.disconnect();
  const seconds = (lastConsumed - started) / 1000;
  return { seconds, rate: stats.received / seconds, produceSeconds: (produced - started) / 1000, consumed: stats.received };
}
