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
import pg from 'pg';
import { ROOT, Report, option, round, runBench } from './lib/common.mjs';
import { assertBuilt, importBuilt } from './lib/services.mjs';
import { printProfile, startProfiler } from './lib/profile-top.mjs';
import { openTimelineStore } from './lib/timeline-store.mjs';

const EVENTS = option('events', 1_000_000);
const INCIDENTS = option('incidents', 10_000);
const CHUNK = option('chunk', 100_000);
const PROFILE = option('profile', false);

await runBench('rebuild', async (env) => {
  assertBuilt();
  if (EVENTS % INCIDENTS !== 0) throw new Error('--events must be a multiple of --incidents');
  if (EVENTS % 7919 === 0) throw new Error('--events must not be a multiple of 7919');
  const report = new Report('rebuild', 'rebuildProjections over stored events vs a plain scan of the same rows');
  report.options({ events: EVENTS, incidents: INCIDENTS, eventsPerIncident: EVENTS / INCIDENTS });
  const { rebuildProjections } = await importBuilt('apps/timeline/dist/rebuild/rebuild-projections.js');
  const { dataSource, client } = await openTimelineStore(env);

  const fillStarted = performance.now();
  await fill(client, env.databaseUrl);
  const fillSeconds = (performance.now() - fillStarted) / 1000;
  const { rows: [size] } = await client.query(`SELECT pg_size_pretty(pg_total_relation_size('events')) AS events, pg_size_pretty(pg_database_size(current_database())) AS db`);
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

/** Incidents (placeholder states, overwritten by the rebuild) and their events, generated server-side. */
async function fill(client, databaseUrl) {
  const perIncident = EVENTS / INCIDENTS;
  // Bulk load without the events indexes, then build them again from their own definitions (faster
  // than maintaining two b-trees row by row); the table ends up exactly as the migration made it.
  const { rows: [pk] } = await client.query(
    `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'events'::regclass AND contype = 'p'`,
  );
  const { rows: indexes } = await client.query(
    `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'events' AND schemaname = current_schema() AND indexname <> $1`,
    [pk.conname],
  );
  for (const { indexname } of indexes) await client.query(`DROP INDEX ${pg.escapeIdentifier(indexname)}`);
  await client.query(`ALTER TABLE events DROP CONSTRAINT ${pg.escapeIdentifier(pk.conname)}`);
  await client.query(
    `INSERT INTO incidents (id, service, status, is_open, first_event_at, resolved_at, last_event_at, last_event_id, event_count, state)
     SELECT 'inc-' || substr(md5(i::text), 1, 16), 'svc-' || lpad((i % 50)::text, 2, '0'), 'triggered', true,
            $1::timestamptz + i * interval '5 minutes', NULL, $1::timestamptz + i * interval '5 minutes', 'placeholder', 0, '{}'::jsonb
     FROM generate_series(0, $2 - 1) AS i`,
    ['2025-01-01T00:00:00Z', INCIDENTS],
  );
  // Two connections fill alternate chunks (the machine has 2 cores).
  let next = 0;
  let filled = 0;
  const worker = async () => {
    const own = new pg.Client({ connectionString: databaseUrl });
    await own.connect();
    // The rows reference existing incidents by construction: skip the per-row foreign key triggers.
    await own.query('SET session_replication_role = replica');
    try {
      for (;;) {
        const from = next;
        if (from >= EVENTS) return;
        next += CHUNK;
        const to = Math.min(EVENTS, from + CHUNK) - 1;
        await own.query(
          `INSERT INTO events (event_id, type, service, incident_key, occurred_at, payload, payload_sha256, incident_id, kafka_partition, kafka_offset)
           SELECT e.id, e.type, e.service, e.key, e.at, e.payload, md5(e.payload::text), e.incident_id, e.g % 6, e.g
           FROM (
             SELECT g, x.i, x.k, 'inc-' || substr(md5(x.i::text), 1, 16) AS incident_id,
                    'svc-' || lpad((x.i % 50)::text, 2, '0') AS service,
                    'INC-bench-' || x.i AS key,
                    'ev-' || x.i || '-' || x.k AS id,
                    ($3::timestamptz + x.i * interval '5 minutes' + x.k * interval '30 seconds') AS at,
                    CASE WHEN x.k = 0 THEN 'alert.triggered' WHEN x.k = 1 THEN 'page.sent' WHEN x.k = 2 THEN 'page.acknowledged'
                         WHEN x.k = 3 THEN 'status.changed' WHEN x.k = $4 - 1 THEN 'status.changed'
                         ELSE (ARRAY['note.added', 'impact.measured', 'alert.triggered', 'resolution.step', 'status.changed', 'customer_impact.reported'])[1 + x.k % 6] END AS type
             FROM generate_series($1::bigint, $2::bigint) AS g,
                  LATERAL (SELECT ((g * 7919) % $5) % $6 AS i, ((g * 7919) % $5) / $6 AS k) AS x
           ) AS base,
           LATERAL (SELECT base.*, jsonb_build_object(
               'id', base.id, 'type', base.type, 'occurredAt', to_char(base.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
               'source', CASE WHEN base.k < 3 THEN 'pagerduty' ELSE 'api' END, 'service', base.service, 'incidentKey', base.key,
               'data', CASE base.type
                 WHEN 'alert.triggered' THEN jsonb_build_object('alertName', base.service || 'HighErrorRate', 'severity', 'critical',
                      'summary', base.service || ' 5xx ratio above 5% for 2 minutes', 'fingerprint', md5(base.key),
                      'labels', jsonb_build_object('alertname', base.service || 'HighErrorRate', 'service', base.service, 'team', 'backend'))
                 WHEN 'page.sent' THEN jsonb_build_object('responder', 'Primary On-call', 'escalationPolicy', 'Backend')
                 WHEN 'page.acknowledged' THEN jsonb_build_object('responder', 'Primary On-call')
                 WHEN 'status.changed' THEN jsonb_build_object('status', CASE WHEN base.k = 3 THEN 'investigating' WHEN base.k = $4 - 1 THEN 'resolved' ELSE 'monitoring' END, 'note', 'status update')
                 WHEN 'note.added' THEN jsonb_build_object('text', 'Error rate correlates with the 14:00 deploy, looking at the cache')
                 WHEN 'impact.measured' THEN jsonb_build_object('metric', 'error_rate', 'unit', '%', 'peak', (base.k % 40) + 0.5, 'baseline', '<1')
                 WHEN 'resolution.step' THEN jsonb_build_object('description', 'Rolled back step ' || base.k)
                 ELSE jsonb_build_object('usersAffected', base.k * 10, 'customerErrors', base.k * 3, 'supportTickets', base.k % 7) END
             ) AS payload) AS e`,
          [from, to, '2025-01-01T00:00:00Z', perIncident, EVENTS, INCIDENTS],
        );
        filled += to + 1 - from;
        process.stdout.write(`\r... filling: ${filled.toLocaleString('en-US')} events`);
      }
    } finally {
      await own.end();
    }
  };
  await Promise.all([worker(), worker()]);
  process.stdout.write('\n');
  await client.query("SET maintenance_work_mem = '256MB'");
  await client.query(`ALTER TABLE events ADD CONSTRAINT ${pg.escapeIdentifier(pk.conname)} ${pk.def}`);
  for (const { indexdef } of indexes) await client.query(indexdef);
  await client.query('ANALYZE incidents');
  await client.query('ANALYZE events');
}

async function scanPayloads(client) {
  const started = performance.now();
  let rows = 0;
  await client.query('BEGIN');
  await client.query('DECLARE payloads NO SCROLL CURSOR FOR SELECT payload FROM events');
  for (;;) {
    const result = await client.query('FETCH 10000 FROM payloads');
    if (result.rows.length === 0) break;
    rows += result.rows.length;
  }
  await client.query('COMMIT');
  return { rows, seconds: (performance.now() - started) / 1000 };
}

