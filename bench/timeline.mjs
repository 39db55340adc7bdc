#!/usr/bin/env node
// Timeline consumer benchmark (issue 3). Runs the BUILT service: `node apps/timeline/dist/main.js`.
//
//   (a) throughput: N events pre-produced to the events topic, then the timeline started; events/s from
//       Kafka to committed projection (count(*) FROM events sampled every 200 ms). Baselines in the same
//       run: a kafkajs consumer doing no work (new group, same topic and settings), and PostgreSQL alone
//       inserting the same rows in batches of the timeline's mean batch size (unnest, one tx per batch).
//   (b) latency: events produced at a steady rate straight to Kafka; latency from the producer's
//       acknowledgement (acks=-1: appended to the log) to the commit of the event's projection
//       (first poll, every 5 ms, that sees its row). Baseline: a no-work kafkajs consumer on the same topic.
//
// Options (flag or environment): --events=100000 (BENCH_EVENTS), --rate=1000, --latency-seconds=20,
// --profile (CPU profile of the timeline during (a), top frames printed), --skip-latency,
// --storm=K (the events of only K incidents, an alert storm each: stormEvents, in (a) and (b)),
// --storm-alerts=N (a storm's distinct alerts, flapping; 0: every alert new), --late-share=0.05 (the share of
// events that arrive 1-300 positions late, in (a) and (b)).
import { join } from 'node:path';
import { ROOT, Report, option, percentiles, round, runBench, sleep } from './lib/common.mjs';
import { generateEvents, outOfOrderCount, produceAll, stormEvents, toMessage } from './lib/events.mjs';
import { arrivalsConsumer, noWorkConsumer, pgInsertBaseline } from './lib/baselines.mjs';
import { commitWatcher, countUntil, nowMs } from './lib/pollers.mjs';
import { assertBuilt, metricSum, startService } from './lib/services.mjs';
import { printProfile, summariseProfile } from './lib/profile-top.mjs';

const EVENTS = option('events', 100_000);
const RATE = option('rate', 1000);
const LATENCY_SECONDS = option('latency-seconds', 20);
const PROFILE = option('profile', false);
const SKIP_LATENCY = option('skip-latency', false);
const STORM = option('storm', 0);
const LATE_SHARE = option('late-share', 0.05);
const STORM_ALERTS = option('storm-alerts', 0);
const TICK_MS = 10;

await runBench('timeline', async (env) => {
  assertBuilt();
  const report = new Report('timeline', 'Kafka -> committed projection throughput and latency of the timeline service');
  report.options({ events: EVENTS, rate: RATE, latencySeconds: LATENCY_SECONDS, profile: PROFILE, storm: STORM, stormAlerts: STORM_ALERTS, lateShare: LATE_SHARE, topicPrefix: env.topicPrefix });
  await env.createTopics();
  await env.createDatabase();

  const run = `t${env.id.slice(-6)}`;
  const events = STORM > 0 ? stormEvents({ count: EVENTS, run, incidents: STORM, alerts: STORM_ALERTS, lateShare: LATE_SHARE }) : generateEvents({ count: EVENTS, run, lateShare: LATE_SHARE });
  const produceSeconds = await produceAll(env.kafka, env.topics.events, events.map(toMessage));
  const shape = STORM > 0 ? `${STORM} alert storms of ${Math.ceil(EVENTS / STORM)} events` : `${Math.ceil(EVENTS / 10)} incidents, 50 services`;
  console.log(`... produced ${EVENTS} events (${shape}, ${outOfOrderCount(events)} arriving out of order) in ${produceSeconds.toFixed(1)} s`);

  // Baseline 1: Kafka alone, the same messages, a consumer that does no work.
  const noop = await noWorkConsumer(env.kafka, env.topics.events, { groupId: `${env.topicPrefix}noop`, expected: EVENTS });
  await Promise.race([noop.done, sleep(120_000)]);
  const kafkaOnly = noop.stats();
  await noop.stop();
  console.log(`... no-work consumer: ${kafkaOnly.received} messages in ${kafkaOnly.seconds.toFixed(2)} s, mean batch ${Math.round(kafkaOnly.meanBatch)}`);

  // (a) The timeline from a standing start: consumer group join, then the backlog.
  const profileFile = PROFILE ? join(ROOT, 'bench', 'results', `timeline-${Date.now()}.cpuprofile`) : null;
  const spawnedAt = nowMs();
  const counting = countUntil(env.databaseUrl, EVENTS, { timeoutMs: Math.max(180_000, EVENTS * 2) });
  counting.catch(() => undefined); // awaited below; a failed start-up must not leave it unhandled
  const timeline = await startService('timeline', { ...env.env, TIMELINE_CONSUMER_GROUP: `${env.topicPrefix}timeline` }, { cpuProfile: profileFile });
  env.onCleanup(() => timeline.stop());
  const throughput = await counting;
  const afterBacklog = await timeline.metrics();
  const meanBatch = metricSum(afterBacklog, 'aftermath_timeline_batch_size_sum') / Math.max(1, metricSum(afterBacklog, 'aftermath_timeline_batch_size_count'));
  const meanBatchMs = (1000 * metricSum(afterBacklog, 'aftermath_timeline_projection_seconds_sum')) / Math.max(1, metricSum(afterBacklog, 'aftermath_timeline_projection_seconds_count'));
  console.log(
    `... timeline: ${throughput.committed}/${EVENTS} committed in ${throughput.seconds.toFixed(2)} s after the first commit ` +
      `(first commit ${((throughput.firstAt - spawnedAt) / 1000).toFixed(1)} s after spawn), mean batch ${Math.round(meanBatch)} events / ${Math.round(meanBatchMs)} ms`,
  );
  const correlatedFrom = (from) => Object.entries(afterBacklog).reduce((sum, [key, value]) => sum + (key.startsWith(`aftermath_timeline_correlations_total{from="${from}"`) ? value : 0), 0);
  const fromSnapshots = correlatedFrom('snapshots');
  const fromEvents = correlatedFrom('events');
  console.log(`... correlated from snapshots in ${fromSnapshots} transactions, from the incidents' events in ${fromEvents}`);
  const profile = profileFile ? summariseProfile(await timeline.writeProfile(), 20) : null;
  const sanity = await checkStore(env.databaseUrl);
  console.log(`... store: ${sanity.events} events, ${sanity.incidents} incidents (${sanity.open} open), ${sanity.unattached} unattached, ${sanity.outbox} outbox rows pending`);

  // (b) Latency at a steady rate.
  let latency = null;
  if (!SKIP_LATENCY) latency = await measureLatency(env, report);

  const timelineStop = await timeline.stop();
  const rssMB = timeline.peakMB();

  // Baseline 2: PostgreSQL alone, the same rows, the timeline's mean batch size.
  const batchSize = Math.max(1, Math.round(meanBatch));
  const pgOnly = await pgInsertBaseline(env.databaseUrl, events, batchSize);
  console.log(`... PostgreSQL alone: ${EVENTS} rows in batches of ${batchSize} in ${pgOnly.seconds.toFixed(2)} s`);

  console.log('results:');
  const target = { op: '>=', value: 5000, text: '>= 5,000 events/s' };
  report.figure({
    key: 'throughput_vs_kafka',
    label: 'timeline throughput (Kafka -> committed projection)',
    value: throughput.rate,
    unit: 'events/s',
    baseline: { label: 'kafkajs consumer, no work', value: kafkaOnly.rate },
    target,
  });
  report.figure({
    key: 'throughput_vs_pg',
    label: 'timeline throughput (Kafka -> committed projection)',
    value: throughput.rate,
    unit: 'events/s',
    baseline: { label: `PostgreSQL unnest insert alone, batches of ${batchSize}`, value: pgOnly.rate },
  });
  if (latency) {
    for (const p of ['p50', 'p95', 'p99']) {
      report.figure({
        key: `latency_${p}`,
        label: `append -> projection commit ${p} at ${Math.round(latency.achievedRate)} events/s`,
        value: latency.commit[p],
        unit: 'ms',
        baseline: { label: 'append -> no-work kafkajs consumer', value: latency.kafka[p] },
        target: p === 'p99' ? { op: '<', value: 250, text: 'p99 < 250 ms at 1,000 events/s' } : undefined,
      });
    }
    console.log(`  append -> received_at (start of the committing transaction): p50 ${latency.received.p50} p95 ${latency.received.p95} p99 ${latency.received.p99} ms; max commit latency ${latency.commit.max} ms`);
  }
  console.log(`  timeline peak RSS: ${rssMB.toFixed(0)} MB (exit ${timelineStop.code ?? timelineStop.signal})`);
  report.info('throughput', { ...throughput, samples: undefined, meanBatch: round(meanBatch, 1), meanBatchMs: round(meanBatchMs, 1), produceSeconds: round(produceSeconds, 2), correlatedFrom: { snapshots: fromSnapshots, events: fromEvents } });
  report.info('baselines', { kafkaNoWork: kafkaOnly, pgInsert: { ...pgOnly, batchSize } });
  report.info('latency', latency);
  report.info('store', sanity);
  report.info('timelinePeakRssMB', round(rssMB, 1));
  if (profile) {
    printProfile(profile);
    report.info('profile', { file: profileFile.slice(ROOT.length + 1), ...profile });
  }
  report.write();
});

async function checkStore(databaseUrl) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT
      (SELECT count(*)::int FROM events) AS events,
      (SELECT count(*)::int FROM incidents) AS incidents,
      (SELECT count(*)::int FROM incidents WHERE is_open) AS open,
      (SELECT count(*)::int FROM events WHERE incident_id IS NULL) AS unattached,
      (SELECT count(*)::int FROM timeline_outbox) AS outbox`);
    return rows[0];
  } finally {
    await client.end();
  }
}

/** Produces RATE events/s for LATENCY_SECONDS, TICK_MS apart, and times each from its ack to its commit. */
async function measureLatency(env, report) {
  const total = RATE * LATENCY_SECONDS;
  const perTick = Math.max(1, Math.round((RATE * TICK_MS) / 1000));
  const shape = { count: total, run: `l${env.id.slice(-6)}`, startMs: Date.UTC(2025, 6, 1), seed: 11, lateShare: LATE_SHARE };
  const events = STORM > 0 ? stormEvents({ ...shape, incidents: STORM, alerts: STORM_ALERTS }) : generateEvents(shape);
  const ackedAt = new Map();
  const { consumedAt, stop: stopArrivals } = await arrivalsConsumer(env);
  const watcher = await commitWatcher(env.databaseUrl, { intervalMs: 5 });
  const producer = env.kafka.producer({ idempotent: true, maxInFlightRequests: 5 });
  await producer.connect();
  const sends = [];
  const started = nowMs();
  for (let tick = 0, sent = 0; sent < total; tick += 1) {
    const due = started + tick * TICK_MS;
    const wait = due - nowMs();
    if (wait > 0) await sleep(wait);
    const slice = events.slice(sent, sent + perTick);
    sent += slice.length;
    watcher.track(slice.map((event) => event.id));
    sends.push(
      producer.send({ topic: env.topics.events, acks: -1, messages: slice.map(toMessage) }).then(() => {
        const at = nowMs();
        for (const event of slice) ackedAt.set(event.id, at);
      }),
    );
  }
  const lastSendAt = nowMs();
  await Promise.all(sends);
  // The rate offered: events sent over the sending window (the last send is due at started + (ticks - 1) * TICK_MS).
  const achievedRate = total / ((lastSendAt - started + TICK_MS) / 1000);
  const left = await watcher.drain(30_000);
  const poll = await watcher.stop();
  await producer.disconnect();
  await sleep(300);
  await stopArrivals();
  const commit = [];
  const received = [];
  const kafka = [];
  for (const [id, ack] of ackedAt) {
    const seen = watcher.seen.get(id);
    if (seen) {
      commit.push(Math.max(0, seen.committedMs - ack));
      received.push(seen.receivedMs - ack);
    }
    const consumed = consumedAt.get(id);
    if (consumed !== undefined) kafka.push(Math.max(0, consumed - ack));
  }
  console.log(
    `... latency: ${total} events at ${Math.round(achievedRate)} events/s (${perTick} per send every ${TICK_MS} ms); ${commit.length} commits observed` +
      `${left ? `, ${left} never seen within 30 s` : ''}; ${poll.polls} polls, mean poll ${poll.meanPollMs.toFixed(1)} ms; no-work consumer saw ${kafka.length}`,
  );
  if (left) report.note(`${left} latency events were not committed within 30 s of the last send`);
  return { events: total, achievedRate: round(achievedRate, 1), pollIntervalMs: 5, meanPollMs: round(poll.meanPollMs, 2), commit: percentiles(commit), received: percentiles(received), kafka: percentiles(kafka) };
}
