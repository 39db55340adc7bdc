#!/usr/bin/env node
// `npm run chaos`: the pipeline under faults, on infrastructure of its own.
//
// Starts a private PostgreSQL cluster (initdb/pg_ctl) and a private Kafka broker (scripts/kafka.sh) on
// their own ports and data dirs, runs ingest, timeline and renderer from their built dist as child
// processes, sends --events unique valid events to POST /v1/events from several Alertmanager-like senders
// while it SIGKILLs the timeline twice and the renderer once (each inside an open transaction), crashes and
// restarts PostgreSQL, restarts the Kafka broker cleanly and once by SIGKILL, and restarts ingest; then
// waits for both consumers to catch up and checks that every event acknowledged with 202 is stored exactly
// once, unchanged, in the incident the generator meant it for; that the incidents equal a rebuild (the
// stored projections re-projected, and the whole log correlated afresh); that incident-timeline.v1 carries
// every attached event; and that the renderer's copies and drafts converged. Exits 1 on any loss,
// duplicate, alteration, misgrouping, mismatch, crash, stuck consumer or failed check. Cleans up everything
// it started, also on failure and on Ctrl-C. Never touches the shared broker (9092) or database (5432).
//
//   node chaos/run.mjs [--events 50000] [--json] [options]     (see --help)
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { generateEvents, toBatches } from './lib/events.mjs';
import { describe, FaultRunner, SCHEDULE } from './lib/faults.mjs';
import { PrivateKafka, stopLeftoverKafka } from './lib/kafka.mjs';
import { PrivatePostgres, stopLeftoverPostgres } from './lib/postgres.mjs';
import { Senders } from './lib/senders.mjs';
import { Service } from './lib/services.mjs';
import { alive, anyFreePort, choosePort, clock, log, root, seconds } from './lib/util.mjs';
import { compareWithFreshCorrelation, compareWithGenerator, loadPartition } from './lib/grouping.mjs';
import { compareRenderer, RENDERER_DATABASE } from './lib/renderer-check.mjs';
import { compareTopicWithAttached, readTopic } from './lib/timeline-topic.mjs';
import { checkEvents, compareWithRebuild, waitForCatchUp } from './lib/verify.mjs';

const HELP = `usage: node chaos/run.mjs [options]      (npm run chaos -- [options])

  --events N            unique valid events to send (default 50000)
  --json                print the result as one JSON object on stdout (progress stays on stderr)
  --duration S          pace the senders to spread the events over about S seconds
                        (default: max(200, events/300), long enough for the seven faults to
                        happen while sending); 0 = as fast as ingest takes them
  --concurrency N       concurrent senders (default 4)
  --batch-min N, --batch-max N   events per request (default 50..200)
  --down-ms MS          how long PostgreSQL and Kafka stay down when restarted (default 3000)
  --give-up-after S     a sender gives up on a batch after S seconds of retries (default 300)
  --settle-timeout S    how long the consumer may take to catch up at the end (default 300)
  --poison N            invalid messages produced straight to the topic, expected in the DLQ (default 10)
  --no-faults           the same run without faults (a baseline)
  --seed N              reproduce a run's events and batches
  --pg-port P           private PostgreSQL port (default 55432, another free one when taken)
  --kafka-port P        private Kafka port (default 29092; controller P+1; others when taken)
  --keep                keep the data dirs and logs (.data/chaos/<run>) and print where they are`;

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '50000' },
    json: { type: 'boolean', default: false },
    duration: { type: 'string' },
    concurrency: { type: 'string', default: '4' },
    'batch-min': { type: 'string', default: '50' },
    'batch-max': { type: 'string', default: '200' },
    'down-ms': { type: 'string', default: '3000' },
    'give-up-after': { type: 'string', default: '300' },
    'settle-timeout': { type: 'string', default: '300' },
    poison: { type: 'string', default: '10' },
    'no-faults': { type: 'boolean', default: false },
    seed: { type: 'string' },
    'pg-port': { type: 'string', default: '55432' },
    'kafka-port': { type: 'string', default: '29092' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});
if (args.help) {
  process.stdout.write(`${HELP}\n`);
  process.exit(0);
}
const int = (name, min = 0) => {
  const value = Number(args[name]);
  if (!Number.isInteger(value) || value < min) {
    process.stderr.write(`chaos: --${name} must be an integer >= ${min}, got ${args[name]}\n`);
    process.exit(64);
  }
  return value;
};
const options = {
  events: int('events', 1),
  concurrency: int('concurrency', 1),
  batchMin: int('batch-min', 1),
  batchMax: int('batch-max', 1),
  downMs: int('down-ms'),
  giveUpMs: int('give-up-after', 1) * 1000,
  settleMs: int('settle-timeout', 1) * 1000,
  poison: int('poison'),
  seed: args.seed === undefined ? randomBytes(4).readUInt32LE() : int('seed'),
};
options.durationS = args.duration === undefined ? Math.max(200, options.events / 300) : Number(args.duration);
if (options.batchMax < options.batchMin || options.batchMax > 1000) {
  process.stderr.write('chaos: need --batch-min <= --batch-max <= 1000\n');
  process.exit(64);
}
for (const service of ['ingest', 'timeline', 'renderer']) {
  if (!existsSync(join(root, `apps/${service}/dist/main.js`))) {
    process.stderr.write(`chaos: apps/${service}/dist/main.js is missing: build first (npm run build)\n`);
    process.exit(2);
  }
}

const runId = `${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}-${randomBytes(3).toString('hex')}`;
const chaosRoot = join(root, '.data', 'chaos');
const runDir = join(chaosRoot, runId);
const TOPIC_PREFIX = 'chaos.';
const GROUP = 'aftermath-timeline';
const RENDERER_GROUP = 'aftermath-renderer';

// ---- cleanup, also on failure, Ctrl-C and SIGTERM ------------------------------------------------
const cleanups = [];
let cleaning = null;
function cleanup() {
  cleaning ??= (async () => {
    for (const step of cleanups.reverse()) {
      try {
        await step();
      } catch (error) {
        log(`cleanup: ${error.message}`);
      }
    }
  })();
  return cleaning;
}
process.on('uncaughtException', (error) => {
  log(`unexpected error: ${error.stack ?? error.message}`);
  void cleanup().finally(() => process.exit(1));
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    log(`${signal}: stopping everything this run started`);
    const code = signal === 'SIGINT' ? 130 : 143;
    // a second signal while cleaning up exits at once
    process.once(signal, () => process.exit(code));
    void cleanup().finally(() => process.exit(code));
  });
}

/** Runs a killed earlier run left behind (the harness itself SIGKILLed): stop their broker and cluster. */
async function removeLeftovers() {
  if (!existsSync(chaosRoot)) return;
  for (const name of readdirSync(chaosRoot)) {
    const ownerFile = join(chaosRoot, name, 'owner.json');
    let owner;
    try {
      owner = JSON.parse(readFileSync(ownerFile, 'utf8'));
    } catch {
      continue;
    }
    if (alive(owner.pid)) continue;
    log(`removing what an earlier, killed run (${name}) left behind`);
    for (const pid of owner.services ?? []) {
      // only if that pid still is one of our services (pids get reused)
      const command = (() => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        } catch {
          return '';
        }
      })();
      if (/apps\/(ingest|timeline|renderer)\/dist\/main\.js/.test(command)) process.kill(pid, 'SIGKILL');
    }
    await stopLeftoverKafka(owner.kafkaDir).catch(() => undefined);
    await stopLeftoverPostgres(owner.pgBase).catch(() => undefined);
    rmSync(join(chaosRoot, name), { recursive: true, force: true });
  }
}

// ---- the run --------------------------------------------------------------------------------------
const result = { runId, seed: options.seed, ok: false, failures: [], warnings: [] };
const timings = {};
let ingest;
let timeline;
let renderer;
let postgres;
let kafka;

async function main() {
  const tSetup = performance.now();
  await removeLeftovers();
  mkdirSync(runDir, { recursive: true });
  cleanups.push(async () => {
    if (args.keep) log(`kept ${runDir} (and the PostgreSQL data in ${postgres?.base ?? '-'})`);
    else rmSync(runDir, { recursive: true, force: true });
  });

  const pgPort = await choosePort(int('pg-port', 1));
  const kafkaPort = await choosePort(int('kafka-port', 1), 2);
  postgres = new PrivatePostgres({ port: pgPort, log });
  kafka = new PrivateKafka({ port: kafkaPort, dataDir: join(runDir, 'kafka'), log });
  cleanups.push(() => (args.keep ? postgres.stop('fast') : postgres.destroy()));
  cleanups.push(() => kafka.destroy({ keep: args.keep }));
  log(`run ${runId}: private PostgreSQL on 127.0.0.1:${pgPort}, private Kafka on 127.0.0.1:${kafkaPort}, seed ${options.seed}`);

  const generated = generateEvents(options.events, { runId: runId.replace(/[^a-z0-9]/gi, ''), seed: options.seed });
  const batches = toBatches(generated.events, { min: options.batchMin, max: options.batchMax, seed: options.seed });
  const eventsById = new Map(generated.events.map((event) => [event.id, event]));
  const c = generated.counts;
  log(
    `${generated.events.length} events in ${batches.length} requests: ${c.incidents} incidents (${c.followers} starting minutes after the previous one of their service resolved, ${c.merges} merged into another, ` +
      `${c.impactStarts} with an impact start, ${c.retractions} with a retracted milestone, ${c.retractionsFirst} of them sent after their retraction), ${c.late} events and ${c.lateOpeners} openers sent late, ${c.orphans} without an incident`,
  );

  await postgres.init();
  const owner = { pid: process.pid, kafkaDir: kafka.dataDir, pgBase: postgres.base, services: [] };
  const writeOwner = () => writeFileSync(join(runDir, 'owner.json'), JSON.stringify(owner));
  writeOwner();
  await Promise.all([postgres.start(), kafka.start()]);
  log(`PostgreSQL and Kafka up (${seconds(performance.now() - tSetup)})`);

  const [ingestPort, timelinePort, rendererPort] = [await anyFreePort(), await anyFreePort(), await anyFreePort()];
  const env = {
    ...process.env,
    KAFKA_BROKERS: kafka.brokers,
    KAFKA_TOPIC_PREFIX: TOPIC_PREFIX,
    DATABASE_URL: postgres.url,
    INGEST_PORT: String(ingestPort),
    INGEST_HOST: '127.0.0.1',
    TIMELINE_PORT: String(timelinePort),
    TIMELINE_HOST: '127.0.0.1',
    TIMELINE_CONSUMER_GROUP: GROUP,
    LOG_LEVEL: 'warn',
    NODE_NO_WARNINGS: '1',
  };
  const onSpawn = (pid) => {
    owner.services = [...owner.services.filter(alive), pid];
    writeOwner();
  };
  timeline = new Service({ name: 'timeline', port: timelinePort, env, logFile: join(runDir, 'timeline.log'), log, onSpawn });
  ingest = new Service({ name: 'ingest', port: ingestPort, env, logFile: join(runDir, 'ingest.log'), log, onSpawn });
  // Its own database on the cluster, so its transactions can be told from the timeline's.
  const rendererEnv = { ...env, DATABASE_URL: postgres.url.replace(/\/aftermath$/, `/${RENDERER_DATABASE}`), RENDERER_PORT: String(rendererPort), RENDERER_HOST: '127.0.0.1', RENDERER_CONSUMER_GROUP: RENDERER_GROUP };
  renderer = new Service({ name: 'renderer', port: rendererPort, env: rendererEnv, logFile: join(runDir, 'renderer.log'), log, onSpawn });
  cleanups.push(async () => {
    for (const service of [ingest, timeline, renderer]) await service.stop('SIGTERM', 10_000).catch(() => service.kill());
  });
  await timeline.start(); // first: it migrates the database and creates the topics
  await Promise.all([ingest.start(), renderer.start()]);
  timings.setupMs = Math.round(performance.now() - tSetup);
  log(`ingest at ${ingest.url}, timeline at ${timeline.url}, renderer at ${renderer.url} (setup ${seconds(timings.setupMs)})`);

  const topics = { events: `${TOPIC_PREFIX}incident-events.v1`, deadLetters: `${TOPIC_PREFIX}incident-events.dlq.v1`, timeline: `${TOPIC_PREFIX}incident-timeline.v1` };
  await producePoison(topics.events, options.poison);

  const rate = options.durationS > 0 ? options.events / options.durationS : 0;
  const senders = new Senders({
    url: ingest.url,
    batches,
    concurrency: options.concurrency,
    rate,
    giveUpMs: options.giveUpMs,
    maxBackoffMs: 10_000,
    requestTimeoutMs: 30_000,
    log,
  });
  const faults = new FaultRunner({ postgres, kafka, ingest, timeline, renderer, senders, schedule: args['no-faults'] ? [] : SCHEDULE, downMs: options.downMs, log });
  log(`sending ${options.events} events with ${options.concurrency} senders${rate ? ` at about ${Math.round(rate)} events/s` : ''}; faults at ${faults.schedule.map((s) => `${Math.round(s.share * 100)}%`).join(', ') || 'none'}`);
  const sendStart = clock();
  let sendingDone = false;
  const progress = setInterval(() => log(`progress: ${senders.acked.size}/${options.events} acknowledged, ${senders.stats.retries} retries`), 15_000);
  await Promise.all([
    senders.run().finally(() => {
      sendingDone = true;
      clearInterval(progress);
    }),
    faults.run(() => sendingDone),
  ]);
  timings.sendMs = Math.round(senders.ms);
  log(`sending done in ${seconds(timings.sendMs)}: ${senders.acked.size} acknowledged, ${senders.givenUp.size} given up, ${senders.rejected.size} rejected`);
  // Restarts started by a crash must finish before the checks.
  await Promise.all([ingest.restarting, timeline.restarting, renderer.restarting]);

  const tCatchUp = performance.now();
  let caughtUp;
  try {
    caughtUp = await waitForCatchUp({ postgres, kafka, groupId: GROUP, topic: topics.events, timeoutMs: options.settleMs, log });
    caughtUp.renderer = await waitForCatchUp({
      postgres,
      kafka,
      groupId: RENDERER_GROUP,
      topic: topics.timeline,
      timeoutMs: options.settleMs,
      log,
      what: 'the renderer',
      countSql: 'SELECT (SELECT count(*)::int FROM renderer_events) AS events, 0 AS outbox',
      database: RENDERER_DATABASE,
    });
  } catch (error) {
    result.failures.push(error.message);
    caughtUp = error.state ?? {};
  }
  timings.catchUpMs = Math.round(performance.now() - tCatchUp);
  // A count that cannot be read is a failed check, never a skipped one.
  const deadLetters = await kafka.messageCount(topics.deadLetters).catch((error) => {
    result.failures.push(`could not count the messages on ${topics.deadLetters}: ${error.message}`);
    return null;
  });
  const published = await readTopic(kafka, topics.timeline).catch((error) => {
    result.failures.push(`could not read ${topics.timeline}: ${error.message}`);
    return null;
  });

  // Which way the last process of each consumer went (its counters start at its last start).
  const paths = {
    timeline: await counterByLabel(timeline.url, 'aftermath_timeline_correlations_total', 'from'),
    renderer: await counterByLabel(renderer.url, 'aftermath_renderer_projections_total', 'from'),
  };

  // Stop the services the way an operator does; a clean SIGTERM exit is part of the contract.
  const stops = {};
  for (const service of [ingest, timeline, renderer]) {
    const stopped = await service.stop('SIGTERM', 30_000);
    stops[service.name] = { code: stopped.code, signal: stopped.signal, ms: Math.round(stopped.ms), forced: stopped.forced };
    if (stopped.forced || (stopped.code !== 0 && stopped.code !== null)) {
      result.warnings.push(`${service.name} did not exit cleanly on SIGTERM: ${JSON.stringify(stops[service.name])}`);
    }
  }

  const tVerify = performance.now();
  const events = await checkEvents({ postgres, senders, eventsById });
  // The live partition and states, before the rebuild rewrites the states.
  const partition = await loadPartition(postgres);
  const incidents = compareWithGenerator({ partition, expected: generated.expected, mergedInto: generated.mergedInto, eventIds: eventsById.keys() });
  const projections = await compareWithRebuild(postgres, log);
  const fresh = await compareWithFreshCorrelation(partition);
  const timelineTopic = published && compareTopicWithAttached(published, partition);
  const rendered = await compareRenderer(postgres, partition);
  timings.verifyMs = Math.round(performance.now() - tVerify);

  Object.assign(result, {
    events: options.events,
    sent: senders.sent.size,
    acknowledged: senders.acked.size,
    givenUp: senders.givenUp.size,
    rejected: senders.rejected.size,
    ...events,
    incidents,
    projections,
    fresh,
    timelineTopic,
    renderer: rendered,
    deadLetters: { produced: options.poison, inDeadLetterTopic: deadLetters },
    caughtUp,
    senders: senders.summary(),
    paths,
    faults: faults.records.map((record) => ({ ...record, at: Number((record.at - sendStart).toFixed(1)) })),
    crashes: { ingest: ingest.crashes, timeline: timeline.crashes, renderer: renderer.crashes },
    stops,
    generated: { ...generated.counts, requests: batches.length },
    options: { ...options, noFaults: args['no-faults'] },
  });

  const fail = (condition, message) => condition && result.failures.push(message);
  fail(events.lost > 0, `${events.lost} acknowledged event(s) missing from the event store, e.g. ${events.lostExamples.join(', ')}`);
  fail(events.duplicated > 0, `${events.duplicated} duplicate(s) (event rows or events folded twice into incidents: ${events.folded} folded vs ${events.attached} attached)`);
  fail(events.folded < events.attached, `incidents fold ${events.folded} events but ${events.attached} are attached`);
  fail(events.altered > 0, `${events.altered} stored event(s) differ from what was acknowledged, e.g. ${events.alteredExamples.join(', ')}`);
  fail(events.storedNeverSent > 0, `${events.storedNeverSent} stored event(s) were never sent by this run`);
  fail(events.conflicts > 0, `${events.conflicts} event conflict(s) recorded (same id, different content)`);
  fail(projections.mismatched > 0, `${projections.mismatched} of ${projections.incidents} incident projection(s) differ from a fresh rebuild, e.g. ${JSON.stringify(projections.examples).slice(0, 2000)}`);
  fail(Boolean(projections.failed), `npm run rebuild failed: ${projections.failed}`);
  fail(projections.incidents === 0, 'no incident was projected');
  const grouping = `${incidents.split} split, ${incidents.merged} merged, ${incidents.misplaced} misplaced`;
  fail(incidents.expected !== incidents.stored || incidents.split + incidents.merged + incidents.misplaced > 0,
    `incidents: ${incidents.expected} expected, ${incidents.stored} stored, ${grouping}, e.g. ${JSON.stringify(incidents.examples).slice(0, 2000)}`);
  fail(fresh.placedDifferently + fresh.statesDiffer > 0,
    `the log correlated afresh places ${fresh.placedDifferently} event(s) elsewhere and gives ${fresh.statesDiffer} incident state(s) other than stored, e.g. ${JSON.stringify(fresh.examples).slice(0, 3000)}`);
  if (timelineTopic) {
    fail(timelineTopic.missing + timelineTopic.notAttached + timelineTopic.misrouted > 0,
      `${topics.timeline}: ${timelineTopic.missing} attached event(s) never published, ${timelineTopic.notAttached} published but not attached, ${timelineTopic.misrouted} published only under another incident, e.g. ${JSON.stringify(timelineTopic.examples).slice(0, 1500)}`);
  }
  fail(rendered.eventsDiffer + rendered.statesDiffer + rendered.missingDrafts + rendered.staleDrafts > 0,
    `the renderer did not converge: ${rendered.eventsDiffer} event(s) in another incident than the timeline's, ${rendered.statesDiffer} state(s) differ, ${rendered.missingDrafts} resolved incident(s) without a draft, ${rendered.staleDrafts} stale draft(s), e.g. ${JSON.stringify(rendered.examples).slice(0, 1500)}`);
  fail(senders.rejected.size > 0, `${senders.rejected.size} event(s) rejected by ingest: ${senders.firstError}`);
  fail(senders.stats.mismatchedAcks > 0, senders.firstError);
  for (const service of [ingest, timeline, renderer]) fail(service.crashes.length > 0, `${service.name} crashed ${service.crashes.length} time(s): ${JSON.stringify(service.crashes)}`);
  for (const record of faults.records) {
    fail(Boolean(record.error), `fault ${record.fault} failed: ${record.error}`);
    fail(!record.error && !record.duringSending, `fault ${record.fault} came after the senders were done: it must hit the pipeline under load`);
    fail(!record.error && record.midTransaction === false, `fault ${record.fault} did not land inside a transaction (${record.transaction})`);
  }
  fail(deadLetters !== null && deadLetters < options.poison, `only ${deadLetters} of ${options.poison} poison messages reached the DLQ`);
  // A request left unanswered for 30 s is a stuck ingest: it must answer 503 promptly when Kafka cannot take events.
  fail(senders.stats.timeouts > 0, `${senders.stats.timeouts} request(s) got no answer from ingest within 30 s`);
  if (senders.givenUp.size > 0) result.warnings.push(`${senders.givenUp.size} event(s) given up after ${options.giveUpMs / 1000} s of retries (not acknowledged, so not a loss)`);
  result.ok = result.failures.length === 0;
}

async function producePoison(topic, count) {
  if (count === 0) return;
  const producer = kafka.client('aftermath-chaos-poison').producer();
  await producer.connect();
  try {
    const messages = Array.from({ length: count }, (_, i) =>
      i % 2 === 0
        ? { key: 'chaos-poison', value: Buffer.from(`{not json ${i}`) }
        : { key: 'chaos-poison', value: JSON.stringify({ id: `chaos-${runId}-poison-${i}`, type: 'alert.triggered', occurredAt: 'yesterday', source: 'chaos', service: 'Not A Service' }) },
    );
    await producer.send({ topic, acks: -1, messages });
  } finally {
    await producer.disconnect();
  }
}

function report() {
  const line = `${result.sent ?? 0} sent, ${result.acknowledged ?? 0} acknowledged, ${result.stored ?? 0} stored, ${result.lost ?? 0} lost, ${result.duplicated ?? 0} duplicated`;
  result.line = line;
  const i = result.incidents;
  result.incidentLine = i ? `incidents: ${i.expected} expected, ${i.stored} stored, ${i.split} split, ${i.merged} merged, ${i.misplaced} misplaced` : 'incidents: not compared';
  if (args.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const out = [];
  out.push('', line, result.incidentLine);
  if (result.projections) {
    const p = result.projections;
    const f = result.fresh;
    const t = result.timelineTopic;
    const r = result.renderer;
    out.push(`projections: ${p.incidents} incident rows (${p.aliases} merged away), ${p.mismatched} differ from a fresh rebuild (rebuild ${seconds(p.rebuildMs)}: ${p.rebuildOutput})`);
    out.push(`the log correlated afresh (${seconds(f.ms)}): ${f.incidents} incidents, ${f.unattached} unattached, ${f.placedDifferently} events placed differently, ${f.statesDiffer} states differ`);
    out.push(`event store: ${result.attached} attached, ${result.unattached} unattached, ${result.storedUnacknowledged} stored but never acknowledged, ${result.altered} altered, ${result.conflicts} conflicts`);
    out.push(
      `dead letters: ${result.deadLetters.produced} poison produced, ${result.deadLetters.inDeadLetterTopic} in the DLQ; incident-timeline.v1: ` +
        (t ? `${t.messages} messages for ${t.distinctEvents} events, ${t.missing} attached events missing, ${t.notAttached} not attached, ${t.misrouted} under another incident` : 'not read'),
    );
    out.push(`renderer: ${r.incidents} incidents, ${r.events} events, ${r.eventsDiffer} events and ${r.statesDiffer} states differ from the timeline's; ${r.resolved} resolved, ${r.missingDrafts} without a draft, ${r.staleDrafts} stale drafts`);
    const paths = result.paths;
    out.push(
      `paths (each consumer's last process): the timeline correlated ${paths.timeline.snapshots ?? 0} transactions from snapshots, ${paths.timeline.events ?? 0} from the events; ` +
        `the renderer folded ${paths.renderer.state ?? 0} incidents onto their states, re-projected ${paths.renderer.events ?? 0} from the events`,
    );
    const s = result.senders;
    out.push(`senders: ${s.requests} requests, ${s.retries} retries, status ${JSON.stringify(s.byStatus)}, ${s.connectionErrors} connection errors, ${s.timeouts} timeouts (slowest failed request ${seconds(s.slowestFailureMs)}); 202 latency p50 ${s.latencyMs.p50} ms, p99 ${s.latencyMs.p99} ms, max ${s.latencyMs.max} ms`);
  }
  if (result.stops) {
    out.push(`shutdown (SIGTERM): ${Object.entries(result.stops).map(([name, stop]) => `${name} ${stop.forced ? 'needed SIGKILL' : `exited (${stop.code ?? stop.signal})`} in ${seconds(stop.ms)}`).join(', ')}`);
  }
  if (result.faults?.length) {
    out.push('faults (seconds after the first send):');
    for (const f of result.faults) out.push(`  ${f.at.toFixed(1).padStart(7)}  ${f.fault.padEnd(17)} at ${(f.atShare * 100).toFixed(0).padStart(3)}% acknowledged, ${seconds(f.tookMs)}: ${describe(f)}`);
  }
  out.push(
    `durations: setup ${seconds(timings.setupMs ?? 0)}, sending ${seconds(timings.sendMs ?? 0)}, catch-up ${seconds(timings.catchUpMs ?? 0)}, verification ${seconds(timings.verifyMs ?? 0)}, total ${seconds(clock() * 1000)}`,
  );
  for (const warning of result.warnings) out.push(`warning: ${warning}`);
  for (const failure of result.failures) out.push(`FAILED: ${failure}`);
  out.push(result.ok ? 'chaos: OK' : 'chaos: FAILED');
  process.stdout.write(`${out.join('\n')}\n`);
}

try {
  await main();
} catch (error) {
  result.failures.push(`the run could not complete: ${error.stack ?? error.message}`);
} finally {
  result.durations = { ...timings, totalMs: Math.round(clock() * 1000) };
  if (!result.ok) {
    for (const service of [ingest, timeline, renderer]) if (service) log(`last lines of ${service.name}'s log:\n${service.logTail(30)}`);
    if (kafka) log(`last lines of the broker log:\n${kafka.logTail(10)}`);
    if (postgres?.base) log(`last lines of the PostgreSQL log:\n${postgres.logTail(10)}`);
  }
  await cleanup();
  result.durations.totalMs = Math.round(clock() * 1000);
  report();
  process.exit(result.ok ? 0 : 1);
}

/** A counter's values by one label, read off a service's /metrics ({} when it cannot be read). */
async function counterByLabel(baseUrl, name, label) {
  const values = {};
  try {
    const text = await (await fetch(`${baseUrl}/metrics`)).text();
    for (const line of text.split('\n')) {
      const match = new RegExp(`^${name}\\{.*${label}="([^"]*)".*\\}\\s+(\\S+)$`).exec(line);
      if (match) values[match[1]] = (values[match[1]] ?? 0) + Number(match[2]);
    }
  } catch {
    // Reported as zeros: the figure is informative, the checks above are what pass or fail the run.
  }
  return values;
}
