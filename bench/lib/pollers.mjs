// Observing commits from outside: the timeline writes events, their incident and the outbox in one
// transaction, so an event row becoming visible means its projection is committed too.
import pg from 'pg';
import { sleep } from './common.mjs';

/** Epoch milliseconds with sub-millisecond precision (same clock as PostgreSQL's now() on this machine). */
export const nowMs = () => performance.timeOrigin + performance.now();

async function connect(databaseUrl, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: databaseUrl });
    client.on('error', () => undefined); // the database is dropped under it on failures; queries reject anyway
    try {
      await client.connect();
      await client.query('SELECT 1 FROM events LIMIT 1');
      return client;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`the events table did not appear: ${error.message}`);
      await sleep(200);
    }
  }
}

/**
 * Samples the number of committed events every `intervalMs` until it reaches `expected` (or times out),
 * then checks it against `SELECT count(*) FROM events` once.
 * Throughput = events committed between the first sample that saw any and the first that saw all,
 * divided by the time between those samples.
 */
export async function countUntil(databaseUrl, expected, { intervalMs = 200, timeoutMs = 300_000, baseline = 0, onSample = () => undefined } = {}) {
  const client = await connect(databaseUrl);
  const samples = [];
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const at = nowMs();
      // The number of committed events, read from one snapshot: those folded into incidents plus the
      // unattached ones (a partial index). The same figure as count(*) FROM events, without scanning the
      // whole table five times a second on the database the pipeline is using. An incident a late event
      // joined into another (merged_into) keeps its last count, but its events are the other's now.
      const [{ n }] = (
        await client.query(
          'SELECT (SELECT coalesce(sum(event_count), 0) FROM incidents WHERE merged_into IS NULL)::int + (SELECT count(*) FROM events WHERE incident_id IS NULL)::int AS n',
        )
      ).rows;
      const count = n - baseline;
      samples.push([at, count]);
      onSample(at, count);
      if (count >= expected || Date.now() > deadline) break;
      await sleep(intervalMs);
    }
    const [{ exact }] = (await client.query('SELECT count(*)::int AS exact FROM events')).rows;
    if (exact - baseline !== samples.at(-1)[1]) throw new Error(`event count mismatch: ${exact - baseline} rows in events, ${samples.at(-1)[1]} counted through incidents`);
  } finally {
    await client.end();
  }
  const first = samples.find(([, count]) => count > 0);
  const last = samples.at(-1);
  const complete = last[1] >= expected;
  const seconds = first && last !== first ? (last[0] - first[0]) / 1000 : 0;
  return { complete, committed: last[1], samples, firstAt: first?.[0] ?? null, lastAt: last[0], seconds, rate: seconds > 0 ? (last[1] - first[1]) / seconds : 0 };
}

/**
 * Polls every `intervalMs` for the rows of the ids it was told about. An id's commit time is the start
 * of the first poll whose snapshot contained it: an upper bound, late by at most the poll interval
 * plus the query's own time. Also reads received_at (now() of the committing transaction, i.e. its start).
 */
export async function commitWatcher(databaseUrl, { intervalMs = 5 } = {}) {
  const client = await connect(databaseUrl);
  const pending = new Set();
  const seen = new Map();
  let running = true;
  let polls = 0;
  let pollMsTotal = 0;
  const loop = (async () => {
    while (running) {
      if (pending.size > 0) {
        const started = nowMs();
        const { rows } = await client.query(
          'SELECT event_id, extract(epoch FROM received_at) * 1000 AS received_ms FROM events WHERE event_id = ANY($1::text[])',
          [[...pending]],
        );
        for (const row of rows) {
          seen.set(row.event_id, { committedMs: started, receivedMs: Number(row.received_ms) });
          pending.delete(row.event_id);
        }
        polls += 1;
        pollMsTotal += nowMs() - started;
      }
      await sleep(intervalMs);
    }
  })();
  return {
    track(ids) {
      for (const id of ids) if (!seen.has(id)) pending.add(id);
    },
    seen,
    pendingCount: () => pending.size,
    async drain(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (pending.size > 0 && Date.now() < deadline) await sleep(20);
      return pending.size;
    },
    async stop() {
      running = false;
      await loop.catch(() => undefined);
      await client.end();
      return { polls, meanPollMs: polls ? pollMsTotal / polls : 0 };
    },
  };
}
