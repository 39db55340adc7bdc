import type { MigrationInterface, QueryRunner } from 'typeorm';

/** An unresolved incident's window closes CORRELATION_IDLE_MINUTES after its latest event: find those still open by it. */
export class IndexIdleWindows1764950500000 implements MigrationInterface {
  name = 'IndexIdleWindows1764950500000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE INDEX incidents_unresolved_by_latest ON incidents (service, last_event_at) WHERE resolved_at IS NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX incidents_unresolved_by_latest`);
  }
}
