// Shared plumbing of the benchmarks: isolated topics and database per run, options, statistics,
// printing each figure next to its baseline, and the results files.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { ensureKafka, ensurePostgres, stopKafka } from '../../scripts/infra.mjs';

process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const KAFKA_BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const BASE_DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/aftermath';

/** `--name=value` flags, then BENCH_NAME environment variables, then the default. */
export function option(name, fallback) {
  const flag = process.argv.slice(2).find((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
  const envName = `BENCH_${name.toUpperCase().replace(/-/g, '_')}`;
  const raw = flag !== undefined ? (flag.includes('=') ? flag.slice(flag.indexOf('=') + 1) : 'true') : process.env[envName];
  if (raw === undefined || raw === '') return fallback;
  if (typeof fallback === 'number') {
    const value = Number(raw.replace(/_/g, ''));
    if (!Number.isFinite(value)) throw new Error(`--${name} (${envName}) must be a number, got "${raw}"`);
    return value;
  }
  if (typeof fallback === 'boolean') return raw !== 'false' && raw !== '0';
  return raw;
}

/** A topic prefix and a database of its own, dropped (with the topics) by `cleanup`. */
export function benchEnvironment(label) {
  const id = `${label}_${randomBytes(3).toString('hex')}`;
  const url = new URL(BASE_DATABASE_URL);
  url.pathname = `/aftermath_bench_${id}`;
  const databaseUrl = url.toString();
  const topicPrefix = `bench.${id}.`;
  const topics = {
    events: `${topicPrefix}incident-events.v1`,
    deadLetters: `${topicPrefix}incident-events.dlq.v1`,
    timeline: `${topicPrefix}incident-timeline.v1`,
  };
  const kafka = new Kafka({ clientId: `bench-${label}`, brokers: KAFKA_BROKERS.split(','), logLevel: logLevel.ERROR });
  const env = { KAFKA_BROKERS, KAFKA_TOPIC_PREFIX: topicPrefix, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' };
  const cleanups = [];
  let cleaned = false;
  const environment = {
    id,
    databaseUrl,
    topicPrefix,
    topics,
    kafka,
    env,
    onCleanup(fn) {
      cleanups.push(fn);
    },
    async createTopics() {
      const admin = kafka.admin();
      await admin.connect();
      try {
        await admin.createTopics({
          waitForLeaders: true,
          topics: [
            { topic: topics.events, numPartitions: 6, replicationFactor: -1 },
            { topic: topics.deadLetters, numPartitions: 1, replicationFactor: -1 },
            { topic: topics.timeline, numPartitions: 6, replicationFactor: -1 },
          ],
        });
      } finally {
        await admin.disconnect();
      }
    },
    async createDatabase() {
      await maintenance(`CREATE DATABASE ${pg.escapeIdentifier(url.pathname.slice(1))}`);
    },
    async cleanup() {
      if (cleaned) return;
      cleaned = true;
      for (const fn of cleanups.reverse()) await Promise.resolve().then(fn).catch((error) => console.error(`cleanup: ${error.message}`));
      if (option('keep', false)) {
        console.log(`# --keep: database ${databaseUrl} and topics ${topicPrefix}* left in place`);
        return;
      }
      await maintenance(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(url.pathname.slice(1))} WITH (FORCE)`).catch((error) =>
        console.error(`cleanup: dropping the database: ${error.message}`),
      );
      const admin = kafka.admin();
      try {
        await admin.connect();
        const existing = new Set(await admin.listTopics());
        const mine = [...existing].filter((topic) => topic.startsWith(topicPrefix));
        if (mine.length > 0) await admin.deleteTopics({ topics: mine, timeout: 10_000 });
      } catch (error) {
        console.error(`cleanup: deleting topics: ${error.message}`);
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
    },
  };
  const onSignal = (signal) => {
    console.error(`\n${signal}: cleaning up`);
    environment.cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return environment;

  async function maintenance(sql) {
    const admin = new URL(databaseUrl);
    admin.pathname = '/postgres';
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitFor(probe, what, timeoutMs = 60_000, intervalMs = 100) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Nearest-rank percentile of a sorted copy. */
export function percentiles(values, ps = [50, 95, 99]) {
  const sorted = Float64Array.from(values).sort();
  const out = {};
  for (const p of ps) out[`p${p}`] = sorted.length === 0 ? null : round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))], 1);
  out.max = sorted.length === 0 ? null : round(sorted[sorted.length - 1], 1);
  out.n = sorted.length;
  return out;
}

export const round = (value, digits = 0) => (value === null || value === undefined || !Number.isFinite(value) ? value : Number(value.toFixed(digits)));
const fmt = (value) => (typeof value === 'number' ? value.toLocaleString('en-US', { maximumFractionDigits: Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 1 ? 1 : 2 }) : String(value));

/** Prints and records one figure, next to its same-run baseline and the ratio. */
export class Report {
  constructor(name, description) {
    this.name = name;
    this.result = {
      name,
      description,
      startedAt: new Date().toISOString(),
      machine: machine(),
      options: {},
      figures: [],
      notes: [],
    };
    console.log(`# ${name}: ${description}`);
    console.log(`# ${this.result.machine.cpus} CPUs (${this.result.machine.cpuModel}), load average at start ${this.result.machine.loadAverage.join(' ')}`);
  }

  options(options) {
    Object.assign(this.result.options, options);
    console.log(`# options: ${Object.entries(options).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  }

  /**
   * figure: { key, label, value, unit, baseline?: { label, value }, target?: { op: '>=' | '<', value, text } }
   * The ratio is value / baseline (for throughputs: the share of the baseline achieved).
   */
  figure({ key, label, value, unit, baseline, target, extra }) {
    const ratio = baseline && baseline.value > 0 ? value / baseline.value : null;
    const met = target ? (target.op === '>=' ? value >= target.value : value < target.value) : null;
    const parts = [`${label}: ${fmt(value)} ${unit}`];
    if (baseline) parts.push(`baseline (${baseline.label}): ${fmt(baseline.value)} ${baseline.unit ?? unit}, ratio ${ratio === null ? 'n/a' : ratio.toFixed(2)}`);
    if (target) parts.push(`target: ${target.text ?? `${target.op} ${fmt(target.value)} ${unit}`} -> ${met ? 'MET' : 'NOT MET'}`);
    console.log(`  ${parts.join(' | ')}`);
    this.result.figures.push({ key, label, value: round(value, 2), unit, baseline: baseline ? { ...baseline, value: round(baseline.value, 2) } : undefined, ratio: ratio === null ? null : round(ratio, 3), target, met, ...extra });
    return { ratio, met };
  }

  info(key, value) {
    this.result[key] = value;
  }

  note(text) {
    console.log(`  note: ${text}`);
    this.result.notes.push(text);
  }

  write() {
    this.result.finishedAt = new Date().toISOString();
    this.result.machine.loadAverageAtEnd = os.loadavg().map((l) => round(l, 2));
    const folder = join(ROOT, 'bench', 'results');
    mkdirSync(folder, { recursive: true });
    const stamp = this.result.startedAt.replace(/[:.]/g, '-');
    const json = `${JSON.stringify(this.result, null, 2)}\n`;
    writeFileSync(join(folder, `${this.name}-${stamp}.json`), json);
    writeFileSync(join(folder, `latest-${this.name}.json`), json);
    console.log(`# results: bench/results/${this.name}-${stamp}.json (and latest-${this.name}.json)`);
  }
}

function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model?.trim(),
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    loadAverage: os.loadavg().map((l) => round(l, 2)),
  };
}

/** Runs `main(environment)` then always cleans up; exits non-zero only on errors (never on missed targets). */
export async function runBench(label, main) {
  // As `npm test` does: a local broker when none answers at KAFKA_BROKERS, stopped again at the end.
  const log = (line) => console.error(`# ${line}`);
  await ensurePostgres(log);
  const startedKafka = await ensureKafka(log);
  const environment = benchEnvironment(label);
  try {
    await main(environment);
  } catch (error) {
    console.error(error.stack ?? error);
    process.exitCode = 1;
  } finally {
    await environment.cleanup();
    if (startedKafka && !process.env.KEEP_KAFKA) stopKafka();
  }
  // kafkajs and pg sockets are closed by now; exit anyway in case a library keeps a timer.
  setTimeout(() => process.exit(process.exitCode ?? 0), 200).unref();
}
