import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The timeline also stores the renderer's dead letters (incident-timeline.dlq.v1), so a letter names the
 * topic it came from (the rows before all came from incident-events.dlq.v1), and keeps its Kafka key, which
 * a replay onto incident-timeline.v1 publishes it under again (the incident id: the same partition).
 */
export class DeadLetterTopics1765200000000 implements MigrationInterface {
  name = 'DeadLetterTopics1765200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE dead_letters ADD COLUMN topic text NOT NULL DEFAULT 'incident-events.dlq.v1'`);
    await runner.query(`ALTER TABLE dead_letters ALTER COLUMN topic DROP DEFAULT`);
    await runner.query(`ALTER TABLE dead_letters ADD COLUMN message_key bytea NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE dead_letters DROP COLUMN message_key`);
    await runner.query(`ALTER TABLE dead_letters DROP COLUMN topic`);
  }
}
