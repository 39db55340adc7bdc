#!/usr/bin/env node
// Analytics benchmark: GET /v1/analytics/incidents's work (AnalyticsQueries.figures + incidentAnalytics,
// from the BUILT timeline and domain code) over N incidents in a fresh timeline database (migrated by the
// built code), grouped four ways over the whole range and over one month.
// Baseline in the same run: the same figures read out of the stored states (jsonb, TOASTed like real ones)
// instead of the figure columns, then the same pure computation: what the endpoint would cost without them.
//
// Options: --incidents=100000 (BENCH_INCIDENTS), --runs=3 (best of), --state-bytes=3000 (padding per state).
import { Report, option, round, runBench } from './lib/common.mjs';
import { assertBuilt, importBuilt } from './lib/services.mjs';
import { openTimelineStore } from './lib/timeline-store.mjs';

const INCIDENTS = option('incidents', 100_000);
const RUNS = option('runs', 3);
const STATE_BYTES = option('state-bytes', 3000);
const GROUPINGS = ['service', 'team', 'severity', 'month'];

await runBench('analytics', async (env) => {
  assertBuilt();
  const report = new Report('analytics', 'GET /v1/analytics/incidents work (figure columns + pure percentiles) vs the same from the stored states');
  report.options({ incidents: INCIDENTS, runs: RUNS, stateBytes: STATE_BYTES });
  const { AnalyticsQueries } = await importBuilt('apps/timeline/dist/analytics/analytics-queries.js');
  const { incidentAnalytics } = await importBuilt('libs/domain/dist/index.js');
  const { dataSource, client } = await openTimelineStore(env);

  const fillStarted = performance.now();
  await fill(client);
  console.log(`... filled ${INCIDENTS.toLocaleString('en-US')} incidents in ${((performance.now() - fillStarted) / 1000).toFixed(1)} s`);

  const queries = new AnalyticsQueries(dataSource);
  const month = { from: '2025-03-01T00:00:00.000Z', to: '2025-04-01T00:00:00.000Z' };
  const endpoint = async (groupBy, range = {}) => incidentAnalytics(await queries.figures(range), groupBy);
  const fromStates = async (groupBy, range = {}) => {
    const { rows } = await client.query(
      `SELECT id, state->>'primaryService' AS service, state->'team'->>'value' AS team, state->'severity'->>'value' AS severity, first_event_at,
              (state->'durations'->>'timeToDetectMinutes')::int AS d, (state->'durations'->>'timeToAcknowledgeMinutes')::int AS a,
              (state->'durations'->>'timeToMitigateMinutes')::int AS m, (state->'durations'->>'timeToResolveMinutes')::int AS r
       FROM incidents WHERE merged_into IS NULL AND first_event_at >= COALESCE($1::timestamptz, '-infinity') AND first_event_at < COALESCE($2::timestamptz, 'infinity')`,
      [range.from ?? null, range.to ?? null],
    );
    return incidentAnalytics(
      rows.map((row) => ({ id: row.id, service: row.service, team: row.team, severity: row.severity, firstEventAt: row.first_event_at.toISOString(), timeToDetect: row.d, timeToAcknowledge: row.a, timeToMitigate: row.m, timeToResolve: row.r })),
      groupBy,
    );
  };

  console.log('results:');
  const figures = {};
  for (const groupBy of GROUPINGS) {
    const ours = await bestOf(() => endpoint(groupBy));
    const baseline = await bestOf(() => fromStates(groupBy));
    if (JSON.stringify(ours.result) !== JSON.stringify(baseline.result)) report.note(`groupBy=${groupBy}: the columns and the states disagree`);
    figures[groupBy] = { groups: ours.result.length, ms: round(ours.ms, 1), fromStatesMs: round(baseline.ms, 1) };
    report.figure({
      key: `analytics_${groupBy}_ms`,
      label: `groupBy=${groupBy}, all ${INCIDENTS.toLocaleString('en-US')} incidents (${ours.result.length} groups)`,
      value: ours.ms,
      unit: 'ms',
      baseline: { label: 'the same from the stored states', value: baseline.ms },
      target: { op: '<', value: 2000, text: '< 2 s' },
    });
  }
  const oneMonth = await bestOf(() => endpoint('service', month));
  report.figure({ key: 'analytics_one_month_ms', label: 'groupBy=service, one month (from/to)', value: oneMonth.ms, unit: 'ms', target: { op: '<', value: 500, text: '< 0.5 s' } });
  const { rows: plan } = await client.query(
    `EXPLAIN SELECT id, service, team, severity, first_event_at, time_to_detect, time_to_acknowledge, time_to_mitigate, time_to_resolve
     FROM incidents WHERE merged_into IS NULL AND first_event_at >= $1 AND first_event_at < $2`,
    [month.from, month.to],
  );
  console.log(`... plan for one month: ${plan.map((row) => row['QUERY PLAN']).join(' / ')}`);
  report.info('groupings', figures);
  report.info('plan', plan.map((row) => row['QUERY PLAN']));
  report.write();
});

async function bestOf(run) {
  let best = Infinity;
  let result;
  for (let i = 0; i < RUNS; i += 1) {
    const started = performance.now();
    result = await run();
    best = Math.min(best, performance.now() - started);
  }
  return { ms: best, result };
}

/**
 * Incidents over a year, 40 services, 8 teams, severities, and figures some of which are not recorded, with
 * states carrying the same figures plus padding (notes) so they are stored out of line like real ones.
 */
async function fill(client) {
  await client.query(
    `INSERT INTO incidents (id, service, status, is_open, first_event_at, resolved_at, last_event_at, last_event_id, event_count,
       team, severity, time_to_detect, time_to_acknowledge, time_to_mitigate, time_to_resolve, state)
     SELECT id, service, 'resolved', false, started, started + r * interval '1 minute', started, 'e', 10, team, severity, d, a, m, r,
       jsonb_build_object('id', id, 'primaryService', service, 'team', CASE WHEN team IS NULL THEN NULL ELSE jsonb_build_object('value', team) END,
         'severity', CASE WHEN severity IS NULL THEN NULL ELSE jsonb_build_object('value', severity) END,
         'durations', jsonb_build_object('timeToDetectMinutes', d, 'timeToAcknowledgeMinutes', a, 'timeToMitigateMinutes', m, 'timeToResolveMinutes', r),
         'notes', (SELECT jsonb_agg(jsonb_build_object('text', md5(id || n::text))) FROM generate_series(1, $2::int / 40) AS n))
     FROM (
       SELECT 'inc-' || substr(md5(i::text), 1, 16) AS id, 'svc-' || lpad((i % 40)::text, 2, '0') AS service,
              CASE WHEN i % 9 = 0 THEN NULL ELSE 'team-' || (i % 8) END AS team,
              CASE WHEN i % 11 = 0 THEN NULL ELSE 'P' || (1 + i % 5) END AS severity,
              '2025-01-01T00:00:00Z'::timestamptz + i * (interval '365 days' / $1::int) AS started,
              CASE WHEN i % 3 = 0 THEN NULL ELSE (i * 7) % 45 END AS d, (i * 13) % 30 AS a,
              CASE WHEN i % 4 = 0 THEN NULL ELSE (i * 17) % 240 END AS m, 10 + (i * 31) % 600 AS r
       FROM generate_series(0, $1::int - 1) AS i
     ) AS x`,
    [INCIDENTS, STATE_BYTES],
  );
  await client.query('VACUUM ANALYZE incidents');
}
