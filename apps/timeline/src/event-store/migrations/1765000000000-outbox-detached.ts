import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A late event or a rebuild can leave a stored event in no incident: the outbox then names the incident that
 * held it, with `detached`, so the renderer takes it out of that incident's copy.
 */
export class OutboxDetached1765000000000 implements MigrationInterface {
  name = 'OutboxDetached1765000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE timeline_outbox ADD COLUMN detached boolean NOT NULL DEFAULT false`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE timeline_outbox DROP COLUMN detached`);
  }
}
