import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What was kept aside: webhook bodies ingest could not (wholly) map and messages of the events topic that
 * failed validation, as they arrived on incident-events.dlq.v1, with the reason. The id makes a re-sent
 * body or a re-delivered message one row; `replayed_at` records the last `dead-letters replay`.
 */
export class DeadLetters1764950400000 implements MigrationInterface {
  name = 'DeadLetters1764950400000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE dead_letters (
        id text PRIMARY KEY,
        kind text NOT NULL,
        source text NOT NULL,
        reason text NOT NULL,
        fields text[] NOT NULL DEFAULT '{}',
        parts jsonb NULL,
        body bytea NOT NULL,
        headers jsonb NOT NULL,
        received_at timestamptz NOT NULL,
        stored_at timestamptz NOT NULL DEFAULT now(),
        replayed_at timestamptz NULL,
        replay_result jsonb NULL
      )`);
    await runner.query(`CREATE INDEX dead_letters_newest ON dead_letters (received_at DESC, id DESC)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE dead_letters`);
  }
}
