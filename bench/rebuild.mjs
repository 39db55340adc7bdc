#!/usr/bin/env node
// Projection rebuild benchmark. Fills a fresh timeline database (migrated by the BUILT timeline code)
// with N stored events over I incidents, generated inside PostgreSQL (INSERT ... SELECT generate_series,
// in chunks), then times `rebuildProjections` from apps/timeline/dist/rebuild/rebuild-projections.js.
// Baseline in the same run: a plain `SELECT payload FROM events` over the same rows (server-side cursor,
// FETCH 10,000 at a time, the same pg driver turning jsonb into objects), i.e. reading without projecting.
// Then `recorrelate` (the re-correlation npm run rebuild does first) is timed twice: moving every event, and moving none.
//
// Events of one incident are scattered over the table (as interleaved incidents are in a live store):
// event g is the k-th event of incident i where g * 7919 mod N = k * I + i.
//
// Options: --events=1000000 (BENCH_EVENTS), --incidents=10000, --chunk=100000 (rows per fill statement).
import { join } from 'node:path';
import { ROOT, Report, option, round, runBench } from './lib/common.mjs';
import { assertBuilt, importBuilt } from './lib/services.mjs';
import { printProfile, startProfiler } from './lib/profile-top.mjs';
import { fillStoredLog, PLACEHOLDER_INCIDENT_ID, scanPayloads, storedLogSize } from './lib/stored-log.mjs';
import { openTimelineStore } from './lib/timeline-store.mjs';

const EVENTS = option('events', 1_000_000);
const INCIDENTS = option('incidents', 10_000);
const CHUNK = option('chunk', 100_000);
const PROFILE = option('profile', false);

await runBench('rebuild', async (env) => {
  assertBuilt();
  const report = new Report('rebuild', 'rebuildProjections over stored events vs a plain scan of the same rows');
  report.options({ events: EVENTS, incidents: INCIDENTS, eventsPerIncident: EVENTS / INCIDENTS });
  const { rebuildProjections } = await importBuilt('apps/timeline/dist/rebuild/rebuild-projections.js');
  const { dataSource, client } = await openTimelineStore(env);

  const fillStarted = performance.now();
  await fillStoredLog(client, env.databaseUrl, { events: EVENTS, incidents: INCIDENTS, chunk: CHUNK, incidentIdSql: PLACEHOLDER_INCIDENT_ID });
  const fillSeconds = (performance.now() - fillStarted) / 1000;
  const size = await storedLogSize(client);
  console.log(`... filled ${EVENTS.toLocaleString('en-US')} events over ${INCIDENTS.toLocaleString('en-US')} incidents in ${fillSeconds.toFixed(1)} s (events table ${size.events}, database ${size.db})`);

  // Baseline: read the same rows, no projection, no writes.
  const scan = await scanPayloads(client);
  console.log(`... plain scan: ${scan.rows.toLocaleString('en-US')} payloads in ${scan.seconds.toFixed(2)} s`);

  const profiler = PROFILE ? await startProfiler() : null;
  const rebuilt = await rebuildProjections(dataSource);
  const profile = profiler ? await profiler.stop(join(ROOT, 'bench', 'results', `rebuild-${Date.now()}.cpuprofile`)) : null;
  console.log(`... rebuildProjections: ${rebuilt.incidents} incidents from ${rebuilt.events} events in ${rebuilt.seconds.toFixed(2)} s`);
  const { rows: [check] } = await client.query(
    `SELECT count(*)::int AS incidents, count(*) FILTER (WHERE event_count = $1)::int AS complete, count(*) FILTER (WHERE status = 'resolved')::int AS resolved FROM incidents`,
    [EVENTS / INCIDENTS],
  );
  console.log(`... check: ${check.incidents} incidents, ${check.complete} with all ${EVENTS / INCIDENTS} events, ${check.resolved} resolved`);
  if (check.complete !== INCIDENTS) report.note(`only ${check.complete} of ${INCIDENTS} incidents were rebuilt with all their events`);

  // Correlating the whole stored log again (npm run rebuild does it first). The generated incidents carry
  // placeholder ids, so the first run renames every one of them (every event moves, every old id becomes an
  // alias): the most a change of settings can move. The second run finds nothing to move.
  const { recorrelate } = await importBuilt('apps/timeline/dist/rebuild/recorrelate.js');
  const { correlationSettings } = await importBuilt('libs/domain/dist/index.js');
  const moving = await recorrelate(dataSource, correlationSettings());
  // The whole log is held in memory while it runs: the process's peak resident size says how much.
  moving.peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(`... recorrelate, every incident renamed: ${moving.events} events, ${moving.moved} moved, ${moving.retired} aliases, in ${moving.seconds.toFixed(2)} s (peak RSS ${moving.peakRssMiB} MiB)`);
  const steady = await recorrelate(dataSource, correlationSettings());
  console.log(`... recorrelate, nothing to move: ${steady.events} events, ${steady.moved} moved, in ${steady.seconds.toFixed(2)} s`);
  await client.query('DELETE FROM timeline_outbox');

  console.log('results:');
  report.figure({
    key: 'rebuild_rate',
    label: 'rebuildProjections',
    value: rebuilt.events / rebuilt.seconds,
    unit: 'events/s',
    baseline: { label: 'plain SELECT payload FROM events scan', value: scan.rows / scan.seconds },
    target: { op: '>=', value: 20_000, text: '>= 20,000 events/s' },
  });
  report.info('fill', { seconds: round(fillSeconds, 2), eventsTable: size.events, database: size.db });
  report.info('rebuild', { ...rebuilt, seconds: round(rebuilt.seconds, 2) });
  report.info('scan', { ...scan, seconds: round(scan.seconds, 2) });
  report.info('recorrelate_moving_everything', { ...moving, seconds: round(moving.seconds, 2) });
  report.info('recorrelate_moving_nothing', { ...steady, seconds: round(steady.seconds, 2) });
  report.info('check', check);
  if (profile) {
    printProfile(profile.summary);
    report.info('profile', { file: profile.file.slice(ROOT.length + 1), ...profile.summary });
  }
  report.write();
});
