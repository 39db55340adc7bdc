// A stored event log for the benchmarks that read one (rebuild, correlation replay): generated inside
// PostgreSQL, and read back plainly as their baseline.
//
// Events of one incident are scattered over the table (as interleaved incidents are in a live store):
// event g is the k-th event of incident i where g * 7919 mod N = k * I + i. Incident i belongs to service
// svc-<i mod 50> and starts 5 minutes after incident i - 1; its events are 30 s apart, all with its key
// INC-bench-<i>, the first an alert, the last a status resolved.
import pg from 'pg';

/** Ids no correlation gives (a correlation of the log renames every incident). */
export const PLACEHOLDER_INCIDENT_ID = (i) => `'inc-' || substr(md5((${i})::text), 1, 16)`;

/** The ids correlation gives: incidentIdFor of each incident's first event, ev-<i>-0. */
export const OPENER_INCIDENT_ID = (i) => `'inc-' || left(encode(sha256(convert_to('ev-' || (${i}) || '-0', 'UTF8')), 'hex'), 16)`;

/**
 * `events` stored events over `incidents` incidents (placeholder states, for a rebuild to overwrite),
 * generated server-side in statements of `chunk` rows. `incidentIdSql(i)` names incident number i.
 */
export async function fillStoredLog(client, databaseUrl, { events: EVENTS, incidents: INCIDENTS, chunk: CHUNK, incidentIdSql }) {
  // What the scattering (g * 7919 mod N) and the whole incidents need of the sizes.
  if (EVENTS % INCIDENTS !== 0) throw new Error('--events must be a multiple of --incidents');
  if (EVENTS % 7919 === 0) throw new Error('--events must not be a multiple of 7919');
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
     SELECT ${incidentIdSql('i')}, 'svc-' || lpad((i % 50)::text, 2, '0'), 'triggered', true,
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
             SELECT g, x.i, x.k, ${incidentIdSql('x.i')} AS incident_id,
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

/** Baseline: every stored payload through a server-side cursor, FETCH 10,000 at a time, turned into objects by pg. */
export async function scanPayloads(client) {
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


/** The size of the events table and of the database, as PostgreSQL prints them. */
export async function storedLogSize(client) {
  const { rows: [size] } = await client.query(`SELECT pg_size_pretty(pg_total_relation_size('events')) AS events, pg_size_pretty(pg_database_size(current_database())) AS db`);
  return size;
}
