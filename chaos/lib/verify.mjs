// After the faults: wait until the timeline consumer has caught up, then check that every acknowledged
// event is stored exactly once, unchanged, and that the projections equal a fresh rebuild.
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { root, runCommand, seconds, sleep } from './util.mjs';

const TIMELINE_COUNTS = 'SELECT (SELECT count(*)::int FROM events) AS events, (SELECT count(*)::int FROM timeline_outbox) AS outbox';

/**
 * Caught up = consumer lag 0 on every partition, the outbox empty, and the events count unchanged
 * over `stableReads` reads a second apart. Resolves {ms, lag, events, outbox} or throws when stuck.
 * `countSql` (on `database`) gives {events, outbox} of another consumer (the renderer's copies, no outbox).
 */
export async function waitForCatchUp({ postgres, kafka, groupId, topic, timeoutMs, log, stableReads = 3, what = 'the timeline', countSql = TIMELINE_COUNTS, database }) {
  const t0 = performance.now();
  let last = null;
  let stable = 0;
  let lastLog = 0;
  let state = {};
  while (performance.now() - t0 < timeoutMs) {
    try {
      const [{ events, outbox }] = await postgres.query(countSql, [], database);
      const lag = await kafka.lag(groupId, topic);
      state = { lag, events, outbox };
      stable = events === last && lag === 0 && outbox === 0 ? stable + 1 : 0;
      last = events;
      if (stable >= stableReads) return { ms: performance.now() - t0, ...state };
      if (performance.now() - lastLog > 10_000) {
        lastLog = performance.now();
        log(`catching up: ${what}: consumer lag ${lag}, ${events} events stored, ${outbox} outbox rows`);
      }
    } catch (error) {
      state = { error: error.message };
    }
    await sleep(1_000);
  }
  const error = new Error(`${what} did not catch up within ${seconds(timeoutMs)} (stuck consumer?): ${JSON.stringify(state)}`);
  error.state = state;
  throw error;
}

const INCIDENT_COLUMNS = 'id, service, status, is_open, first_event_at, resolved_at, last_event_at, last_event_id, event_count, merged_into, state';

async function snapshotIncidents(postgres) {
  const rows = await postgres.query(`SELECT ${INCIDENT_COLUMNS} FROM incidents ORDER BY id`);
  return new Map(rows.map((row) => [row.id, row]));
}

/** The projections as stored vs after `npm run rebuild` (apps/timeline/dist/cli/rebuild.js). */
export async function compareWithRebuild(postgres, log) {
  const before = await snapshotIncidents(postgres);
  const t0 = performance.now();
  const rebuild = await runCommand(process.execPath, [join(root, 'apps/timeline/dist/cli/rebuild.js')], {
    env: { ...process.env, DATABASE_URL: postgres.url, LOG_LEVEL: 'warn' },
    timeoutMs: 600_000,
  });
  const rebuildMs = performance.now() - t0;
  // A failed rebuild is a failed check; the other checks still run.
  if (rebuild.code !== 0) return { incidents: before.size, aliases: 0, rebuilt: 0, mismatched: 0, examples: [], rebuildMs: Math.round(rebuildMs), rebuildOutput: '', failed: (rebuild.stderr || rebuild.stdout).trim().split('\n')[0] };
  log(rebuild.stdout.trim());
  const after = await snapshotIncidents(postgres);
  const mismatched = [];
  for (const id of new Set([...before.keys(), ...after.keys()])) {
    if (!isDeepStrictEqual(before.get(id), after.get(id))) mismatched.push(id);
  }
  const examples = mismatched.slice(0, 3).map((id) => ({ id, stored: before.get(id), rebuilt: after.get(id) }));
  const aliases = [...before.values()].filter((row) => row.merged_into !== null).length;
  return { incidents: before.size, aliases, rebuilt: after.size, mismatched: mismatched.length, examples, rebuildMs: Math.round(rebuildMs), rebuildOutput: rebuild.stdout.trim() };
}

/**
 * The acknowledged ids against the event store. `eventsById` maps each sent id to the envelope sent,
 * to check that what is stored is what was acknowledged.
 */
export async function checkEvents({ postgres, senders, eventsById }) {
  const rows = await postgres.query('SELECT event_id, payload, incident_id FROM events');
  const stored = new Map();
  let duplicatedRows = 0;
  for (const row of rows) {
    if (stored.has(row.event_id)) duplicatedRows += 1;
    stored.set(row.event_id, row);
  }
  const [{ duplicated_ids: duplicatedIds }] = await postgres.query('SELECT count(*)::int AS duplicated_ids FROM (SELECT event_id FROM events GROUP BY event_id HAVING count(*) > 1) d');
  const lostIds = [...senders.acked].filter((id) => !stored.has(id));
  const unacknowledged = [...stored.keys()].filter((id) => !senders.acked.has(id));
  const foreign = unacknowledged.filter((id) => !senders.sent.has(id));
  const altered = [...senders.acked].filter((id) => stored.has(id) && !isDeepStrictEqual(stored.get(id).payload, eventsById.get(id)));
  const [{ conflicts }] = await postgres.query('SELECT count(*)::int AS conflicts FROM event_conflicts');
  // Projection-level duplicates: an incident folding an event twice would count it twice. A retracted event
  // no longer counts in its incident's eventCount (its retraction lists it); an incident merged into another
  // keeps its last state (and count) as an alias, and its events count in its target's.
  const [{ attached, folded, incidents, unattached }] = await postgres.query(
    `SELECT (SELECT count(*)::int FROM events WHERE incident_id IS NOT NULL) AS attached,
            (SELECT coalesce(sum(event_count + coalesce(jsonb_array_length(state->'retractions'), 0)), 0)::int FROM incidents WHERE merged_into IS NULL) AS folded,
            (SELECT count(*)::int FROM incidents WHERE merged_into IS NULL) AS incidents,
            (SELECT count(*)::int FROM events WHERE incident_id IS NULL) AS unattached`,
  );
  return {
    stored: stored.size,
    lost: lostIds.length,
    lostExamples: lostIds.slice(0, 10),
    duplicated: duplicatedRows + duplicatedIds + Math.max(0, folded - attached),
    storedUnacknowledged: unacknowledged.length,
    storedNeverSent: foreign.length,
    altered: altered.length,
    alteredExamples: altered.slice(0, 3),
    conflicts,
    attached,
    folded,
    incidents,
    unattached,
  };
}
