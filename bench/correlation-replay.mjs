#!/usr/bin/env node
// Correlation replay benchmark (issue 15): `npm run --silent correlation:replay` (the BUILT CLI, a child
// process, as people run it, with the heap limits the script gives it) over 1,000,000 stored events. The database is migrated by the built timeline
// code and filled inside PostgreSQL (bench/lib/stored-log.mjs: 10,000 incidents of 100 events over 50
// services, named as correlation names them), then projected by rebuildProjections so the stored figures
// are real. Two replays, each timed from start to exit with the CLI's peak resident memory:
//   - unchanged: the settings the log was stored with (nothing moves: reading and correlating);
//   - regrouped: --service-groups putting the 50 services in 10 groups of 5, so every 5 overlapping incidents
//     become one (10,000 -> 2,000; every incident changes, every one of them is projected again).
// Baseline in the same run: a plain `SELECT payload FROM events` over the same rows (server-side cursor,
// FETCH 10,000 at a time, the pg driver turning jsonb into objects): reading without correlating.
//
// Options: --events=1000000 (BENCH_EVENTS), --incidents=10000, --chunk=100000 (rows per fill statement).
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, Report, option, round, runBench } from './lib/common.mjs';
import { assertBuilt, importBuilt } from './lib/services.mjs';
import { fillStoredLog, OPENER_INCIDENT_ID, scanPayloads, storedLogSize } from './lib/stored-log.mjs';
import { openTimelineStore } from './lib/timeline-store.mjs';

const EVENTS = option('events', 1_000_000);
const INCIDENTS = option('incidents', 10_000);
const CHUNK = option('chunk', 100_000);
/** The heap limits `npm run correlation:replay` gives the command unless NODE_OPTIONS is set (package.json). */
const REPLAY_NODE_OPTIONS = /NODE_OPTIONS:-([^}]*)\}/.exec(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts['correlation:replay'])[1];

const GROUPS = Array.from({ length: 10 }, (_, g) => `g${g}=${Array.from({ length: 5 }, (_, s) => `svc-${String(g * 5 + s).padStart(2, '0')}`).join(',')}`).join(';');

/** One line of a replay's report. */
function summary(r) {
  return `${r.events.toLocaleString('en-US')} events, incidents ${r.incidents.stored} -> ${r.incidents.replayed}, ${r.merged.length} merged, ${r.moved.events} events moved`;
}

await runBench('correlation-replay', async (env) => {
  assertBuilt();
  if (INCIDENTS % 50 !== 0) throw new Error('--incidents must be a multiple of 50 (services)');
  const report = new Report('correlation-replay', 'npm run correlation:replay over stored events vs a plain scan of the same rows');
  report.options({ events: EVENTS, incidents: INCIDENTS, eventsPerIncident: EVENTS / INCIDENTS });
  const { rebuildProjections } = await importBuilt('apps/timeline/dist/rebuild/rebuild-projections.js');
  const { dataSource, client } = await openTimelineStore(env);

  const fillStarted = performance.now();
  await fillStoredLog(client, env.databaseUrl, { events: EVENTS, incidents: INCIDENTS, chunk: CHUNK, incidentIdSql: OPENER_INCIDENT_ID });
  const rebuilt = await rebuildProjections(dataSource);
  const fillSeconds = (performance.now() - fillStarted) / 1000;
  const size = await storedLogSize(client);
  console.log(`... filled and projected ${EVENTS.toLocaleString('en-US')} events over ${rebuilt.incidents.toLocaleString('en-US')} incidents in ${fillSeconds.toFixed(1)} s (events table ${size.events})`);

  const scan = await scanPayloads(client);
  console.log(`... plain scan: ${scan.rows.toLocaleString('en-US')} payloads in ${scan.seconds.toFixed(2)} s`);
  const unchanged = await replay(env, []);
  console.log(`... replay, settings unchanged: ${unchanged.seconds.toFixed(2)} s, peak RSS ${unchanged.peakMB.toFixed(0)} MB: ${summary(unchanged.report)}`);
  const regrouped = await replay(env, ['--service-groups', GROUPS]);
  console.log(`... replay, 10 service groups: ${regrouped.seconds.toFixed(2)} s, peak RSS ${regrouped.peakMB.toFixed(0)} MB: ${summary(regrouped.report)}`);
  if (unchanged.report.incidents.unchanged !== INCIDENTS || unchanged.report.moved.events !== 0) report.note('the unchanged replay found changes: the stored log is not as correlation stores it');
  if (regrouped.report.incidents.replayed !== INCIDENTS / 5) report.note(`the regrouped replay gave ${regrouped.report.incidents.replayed} incidents, not ${INCIDENTS / 5}`);

  console.log('results:');
  for (const [key, label, run] of [['unchanged', 'settings unchanged', unchanged], ['regrouped', '10 service groups, every incident merged', regrouped]]) {
    report.figure({
      key: `replay_seconds_${key}`,
      label: `correlation:replay, ${label}`,
      value: run.seconds,
      unit: 's',
      baseline: { label: 'plain SELECT payload FROM events scan', value: scan.seconds },
      target: { op: '<', value: 30, text: `< 30 s for ${EVENTS.toLocaleString('en-US')} events (well under a minute)` },
      extra: { eventsPerSecond: round(EVENTS / run.seconds) },
    });
    report.figure({ key: `replay_peak_rss_${key}`, label: `correlation:replay peak resident memory, ${label}`, value: run.peakMB, unit: 'MB', target: { op: '<', value: 700, text: '< 700 MB (a 512 MB heap)' } });
  }
  console.log(`  events/s: unchanged ${round(EVENTS / unchanged.seconds).toLocaleString('en-US')}, regrouped ${round(EVENTS / regrouped.seconds).toLocaleString('en-US')}, plain scan ${round(scan.rows / scan.seconds).toLocaleString('en-US')}`);
  report.info('fill', { seconds: round(fillSeconds, 2), eventsTable: size.events, database: size.db });
  report.info('scan', { ...scan, seconds: round(scan.seconds, 2) });
  for (const [key, run] of [['unchanged', unchanged], ['regrouped', regrouped]]) {
    report.info(key, { seconds: round(run.seconds, 2), peakMB: round(run.peakMB, 1), incidents: run.report.incidents, merged: run.report.merged.length, movedEvents: run.report.moved.events, figuresChanged: run.report.figures.incidents.length });
  }
  report.write();
});

/** `npm run --silent correlation:replay -- ... --json` as people run it; its time from spawn to exit, its peak resident memory, its report. */
async function replay(env, args) {
  const rssFile = join(tmpdir(), `aftermath-bench-replay-${process.pid}-${Date.now()}`);
  const started = performance.now();
  const child = spawn('npm', ['run', '--silent', 'correlation:replay', '--', ...args, '--json'], {
    cwd: ROOT,
    // The script's own heap limits, plus the preload that reports the peak (a set NODE_OPTIONS replaces the script's).
    env: { ...process.env, DATABASE_URL: env.databaseUrl, BENCH_MAX_RSS_FILE: rssFile, NODE_OPTIONS: `${REPLAY_NODE_OPTIONS} --import=${join(ROOT, 'bench/lib/max-rss.mjs')}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout = [];
  const stderr = [];
  child.stdout.on('data', (chunk) => stdout.push(chunk));
  child.stderr.on('data', (chunk) => stderr.push(chunk));
  const code = await new Promise((resolve) => child.once('exit', resolve));
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`correlation:replay exited ${code}: ${Buffer.concat(stderr).toString('utf8')}`);
  const peakMB = (Math.max(...readFileSync(rssFile, 'utf8').trim().split('\n').map(Number)) * 1024) / 1e6;
  rmSync(rssFile, { force: true });
  return { seconds, peakMB, report: JSON.parse(Buffer.concat(stdout).toString('utf8')) };
}
