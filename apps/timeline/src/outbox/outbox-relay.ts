import { Inject, Injectable } from '@nestjs/common';
import { CompressionTypes, type Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { ADVISORY_LOCKS, chunksOfSize, KAFKA, OutboxRelayLoop, TOPICS, type Topics } from '@app/platform';
import { DATA_SOURCE } from '../tokens.js';
import { TimelineMetrics } from '../metrics/timeline-metrics.js';

const BATCH = 1000;
const IDLE_POLL_MS = 500;

/**
 * Publishes correlated events from the transactional outbox to `incident-timeline.v1`, keyed by incident.
 * Rows are deleted only after Kafka acknowledged them (at least once); one relay at a time holds the
 * lock, so each incident's events leave in the order they were stored.
 */
@Injectable()
export class OutboxRelay extends OutboxRelayLoop {
  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(TOPICS) private readonly topics: Topics,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly metrics: TimelineMetrics,
  ) {
    super(kafka, 'OutboxRelay', BATCH, IDLE_POLL_MS);
  }

  /** Publishes one chunk; returns how many rows left the outbox. */
  async publishOnce(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [ADVISORY_LOCKS.outboxRelay]);
      if (!locked) return 0;
      // PostgreSQL writes each message's JSON (the event plus its incidentId and sequence, mergedFrom on the message
      // that announces a merge, detached on one that takes an event out): no parse and re-serialise here. The row's
      // seq is the sequence: rows are inserted under the correlation lock, so a later placement of an event always
      // has a larger one.
      const rows: { seq: string; incident_id: string; value: string }[] = await manager.query(
        `SELECT o.seq, o.incident_id, (e.payload || jsonb_build_object('incidentId', o.incident_id, 'sequence', o.seq)
           || CASE WHEN o.merged_from IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('mergedFrom', o.merged_from) END
           || CASE WHEN o.detached THEN jsonb_build_object('detached', true) ELSE '{}'::jsonb END)::text AS value
         FROM timeline_outbox o JOIN events e ON e.event_id = o.event_id
         ORDER BY o.seq LIMIT $1`,
        [BATCH],
      );
      if (rows.length === 0) return 0;
      // Sent in order, in chunks the broker's request size limit takes; compressed like ingest's.
      for (const chunk of chunksBySize(rows.map((row) => ({ key: row.incident_id, value: row.value })))) {
        await this.producer.send({ topic: this.topics.timeline, acks: -1, compression: CompressionTypes.GZIP, messages: chunk });
      }
      await manager.query('DELETE FROM timeline_outbox WHERE seq = ANY($1::bigint[])', [rows.map((row) => row.seq)]);
      this.metrics.outboxPublished.inc(rows.length);
      return rows.length;
    });
  }
}

/** Uncompressed bytes per send: under the broker's default 1 MB limit even if nothing compresses. */
const MAX_SEND_BYTES = 900_000;

/** Consecutive chunks of at most MAX_SEND_BYTES (a single larger message gets a chunk of its own). */
export function chunksBySize<M extends { value: string }>(messages: M[], limit = MAX_SEND_BYTES): M[][] {
  return chunksOfSize(messages, limit, (message) => Buffer.byteLength(message.value));
}
