import { Inject, Injectable } from '@nestjs/common';
import { CompressionTypes, type Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { ADVISORY_LOCKS, KAFKA, OutboxRelayLoop, TOPICS, type RcaDraftMessage, type Topics } from '@app/platform';
import { DATA_SOURCE } from '../tokens.js';

const BATCH = 500;

/**
 * Publishes new draft versions from renderer_draft_outbox to rca-drafts.v1, keyed by incident id, at least
 * once: rows are deleted only after Kafka acknowledged them, and one relay at a time holds the lock, so each
 * incident's versions leave in order. The renderer's consumer never waits on it.
 */
@Injectable()
export class DraftRelay extends OutboxRelayLoop {
  constructor(
    @Inject(KAFKA) kafka: Kafka,
    @Inject(TOPICS) private readonly topics: Topics,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
  ) {
    super(kafka, 'DraftRelay', BATCH, 1000);
  }

  /** Publishes up to BATCH versions; returns how many left the outbox. */
  async publishOnce(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [ADVISORY_LOCKS.rendererDraftRelay]);
      if (!locked) return 0;
      // A row whose draft is gone (a rebuild that dropped the incident) has nothing to announce: it only leaves.
      const rows: { seq: string; incident_id: string; version: number; prepared_on: string | null; file_name: string; created_at: Date }[] = await manager.query(
        `SELECT o.seq, o.incident_id, o.version, to_char(d.prepared_on, 'YYYY-MM-DD') AS prepared_on, d.file_name, d.created_at
         FROM renderer_draft_outbox o LEFT JOIN rca_drafts d ON d.incident_id = o.incident_id AND d.version = o.version
         ORDER BY o.seq LIMIT $1`,
        [BATCH],
      );
      if (rows.length === 0) return 0;
      const messages = rows
        .filter((row) => row.prepared_on !== null)
        .map((row) => {
          const value: RcaDraftMessage = { incidentId: row.incident_id, version: row.version, preparedOn: row.prepared_on!, fileName: row.file_name, createdAt: row.created_at.toISOString() };
          return { key: row.incident_id, value: JSON.stringify(value) };
        });
      if (messages.length > 0) await this.producer.send({ topic: this.topics.rcaDrafts, acks: -1, compression: CompressionTypes.GZIP, messages });
      await manager.query('DELETE FROM renderer_draft_outbox WHERE seq = ANY($1::bigint[])', [rows.map((row) => row.seq)]);
      return rows.length;
    });
  }
}
