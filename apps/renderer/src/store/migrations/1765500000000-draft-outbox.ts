import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * New draft versions waiting to be published to rca-drafts.v1 (the notifier announces them): written in the
 * transaction that stores the version, deleted once Kafka acknowledged the message (a transactional outbox).
 */
export class DraftOutbox1765500000000 implements MigrationInterface {
  name = 'DraftOutbox1765500000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE renderer_draft_outbox (
        seq bigserial PRIMARY KEY,
        incident_id text NOT NULL,
        version integer NOT NULL
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE renderer_draft_outbox`);
  }
}
