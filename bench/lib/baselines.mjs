// The same-run baselines: Kafka with no work (produce, consume) and PostgreSQL inserting the same rows.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { sleep } from './common.mjs';
import { nowMs } from './pollers.mjs';

/**
 * A kafkajs consumer (new group, the timeline's consumer settings) that does no work per batch beyond
 * resolving and committing the offsets, as the timeline does. Resolves when `expected` messages arrived.
 * `onBatch(batch, receivedAt)` sees each batch (latency baselines).
 */
export async function noWorkConsumer(kafka, topic, { groupId, expected = Infinity, fromBeginning = true, onBatch = () => undefined } = {}) {
  const consumer = kafka.consumer({ groupId, sessionTimeout: 30_000, heartbeatInterval: 3_000, maxBytesPerPartition: 2 * 1024 * 1024, maxWaitTimeInMs: 100 });
  const joined = new Promise((resolve) => consumer.on(consumer.events.GROUP_JOIN, resolve));
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning });
  let received = 0;
  let firstAt = null;
  let firstDoneAt = null;
  let firstSize = 0;
  let lastAt = null;
  let batches = 0;
  let resolveDone;
  const done = new Promise((resolve) => (resolveDone = resolve));
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: 1,
    eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
      if (batch.messages.length === 0) return;
      const now = performance.now();
      firstAt ??= now;
      onBatch(batch, now);
      received += batch.messages.length;
      batches += 1;
      resolveOffset(batch.lastOffset());
      await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(batch.lastOffset()) + 1n).toString() }]);
      await heartbeat();
      lastAt = performance.now();
      if (firstDoneAt === null) {
        firstDoneAt = lastAt;
        firstSize = batch.messages.length;
      }
      if (received >= expected) resolveDone();
    },
  });
  return {
    done,
    joined,
    /** rate: messages after the first batch over the time from the first batch done to the last (as the timeline's commit sampling measures). */
    stats: () => {
      const seconds = firstDoneAt === null ? 0 : (lastAt - firstDoneAt) / 1000;
      return { received, batches, seconds, rate: seconds > 0 ? (received - firstSize) / seconds : null, meanBatch: batches ? received / batches : 0, firstBatchToLastSeconds: firstAt === null ? 0 : (lastAt - firstAt) / 1000 };
    },
    stop: () => consumer.disconnect(),
  };
}


/**
 * The latency baselines' consumer: a no-work consumer in a new group on the events topic, from the
 * latest offsets, noting when each event id arrived (`consumedAt`). Resolves once it can see what is
 * produced next.
 */
export async function arrivalsConsumer(env) {
  const consumedAt = new Map();
  const consumer = await noWorkConsumer(env.kafka, env.topics.events, {
    groupId: `${env.topicPrefix}noop-latency`,
    fromBeginning: false,
    onBatch: (batch) => {
      const at = nowMs();
      for (const message of batch.messages) consumedAt.set(JSON.parse(message.value.toString()).id, at);
    },
  });
  await consumer.joined;
  await sleep(1500); // the new group resolves its starting offsets (latest) before anything is produced
  return { consumedAt, stop: () => consumer.stop() };
}

/**
 * PostgreSQL alone: the same rows into a copy of the events table (same columns, indexes and defaults,
 * no foreign keys), with the timeline's unnest INSERT ... ON CONFLICT DO NOTHING RETURNING, one
 * transaction per batch of `batchSize`, on one connection, no correlation or projection.
 */
export async function pgInsertBaseline(databaseUrl, events, batchSize, { table = 'bench_events_baseline' } = {}) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP TABLE IF EXISTS ${table}`);
    await client.query(`CREATE TABLE ${table} (LIKE events INCLUDING ALL)`);
    const started = performance.now();
    let partition = 0;
    for (let from = 0; from < events.length; from += batchSize) {
      const batch = events.slice(from, from + batchSize);
      const payloads = batch.map((event) => JSON.stringify(event));
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO ${table} (event_id, type, service, incident_key, occurred_at, payload, payload_sha256, kafka_partition, kafka_offset)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::jsonb[], $7::text[], $8::int[], $9::bigint[])
         ON CONFLICT (event_id) DO NOTHING
         RETURNING event_id`,
        [
          batch.map((e) => e.id),
          batch.map((e) => e.type),
          batch.map((e) => e.service),
          batch.map((e) => e.incidentKey ?? null),
          batch.map((e) => e.occurredAt),
          payloads,
          payloads.map((p) => createHash('sha256').update(p).digest('hex')),
          batch.map(() => partition % 6),
          batch.map((_, i) => from + i),
        ],
      );
      await client.query('COMMIT');
      partition += 1;
    }
    const seconds = (performance.now() - started) / 1000;
    await client.query(`DROP TABLE ${table}`);
    return { seconds, rate: events.length / seconds };
  } finally {
    await client.end();
  }
}
