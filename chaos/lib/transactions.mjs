// A SIGKILL must land inside a transaction of the killed service, and the run must know that it did. Left to
// timing, a kill often lands between two short transactions (or just after a COMMIT). So the harness holds a
// table lock the service's transaction needs late in its work (the timeline's outbox insert, the renderer's
// incident upsert): the service's transaction, having written its events already (so it has an xid), waits on
// it. The harness kills the service then, releases the lock, and PostgreSQL must report that xid aborted.
import pg from 'pg';
import { sleep } from './util.mjs';

/** Advisory lock key every timeline batch transaction takes first (libs/platform ADVISORY_LOCKS.correlation). */
const CORRELATION_LOCK = 7_260_002;

// The timeline's batch transaction is the one holding the correlation lock (the outbox relay's delete waits
// on the same table lock, but has written nothing and holds another lock).
const HELD = {
  timeline: {
    table: 'timeline_outbox',
    batch: `AND EXISTS (SELECT 1 FROM pg_locks c WHERE c.pid = a.pid AND c.locktype = 'advisory' AND c.granted
              AND c.classid = 0 AND c.objid = ${CORRELATION_LOCK} AND c.objsubid = 1)`,
  },
  renderer: { table: 'renderer_incidents', batch: '' },
};

async function connect(postgres, database) {
  const client = new pg.Client({ host: '127.0.0.1', port: postgres.port, user: 'postgres', database, connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/**
 * Locks the table `kind` ('timeline' or 'renderer') writes late in its transactions, and waits (up to
 * `timeoutMs`) until a transaction of that service that has written waits on it. Resolves {waiting: {pid,
 * xid} or null, release()}; release() ends the lock (call it after the kill, or when nothing waited).
 */
export async function holdTransactionOpen(postgres, kind, database, timeoutMs) {
  const { table, batch } = HELD[kind];
  const client = await connect(postgres, database);
  const release = () => client.query('ROLLBACK').finally(() => client.end()).catch(() => undefined);
  try {
    await client.query('BEGIN');
    await client.query(`LOCK TABLE ${table} IN EXCLUSIVE MODE`);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      // Inside a transaction pg_stat_activity is read once and kept: take a fresh look each time.
      await client.query('SELECT pg_stat_clear_snapshot()');
      const { rows } = await client.query(
        `SELECT a.pid, a.backend_xid::text AS xid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE l.locktype = 'relation' AND l.relation = '${table}'::regclass AND NOT l.granted
           AND a.datname = current_database() AND a.backend_xid IS NOT NULL ${batch} LIMIT 1`,
      );
      if (rows.length > 0) return { waiting: rows[0], release };
      await sleep(20);
    }
    return { waiting: null, release };
  } catch (error) {
    await release();
    throw error;
  }
}

/** 'aborted' or 'committed' once PostgreSQL has finished with `xid` (its backend sees the client gone). */
export async function transactionOutcome(postgres, xid, timeoutMs = 30_000) {
  const client = await connect(postgres, 'postgres');
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // A fresh cluster's epoch is 0, so the 32-bit xid is the full transaction id.
      const { rows } = await client.query('SELECT pg_xact_status($1::text::xid8) AS status', [xid]);
      if (rows[0].status !== 'in progress') return rows[0].status;
      if (Date.now() > deadline) return 'still in progress';
      await sleep(20);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}
