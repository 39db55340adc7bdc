import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Indexes for finding the incidents whose correlation window may cover an event of a service. */
export class IndexCorrelationWindows1764172800000 implements MigrationInterface {
  name = 'IndexCorrelationWindows1764172800000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE INDEX incidents_unresolved_by_service ON incidents (service, first_event_at) WHERE resolved_at IS NULL`);
    await runner.query(`CREATE INDEX incidents_resolved_by_service ON incidents (service, resolved_at) WHERE resolved_at IS NOT NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX incidents_resolved_by_service, incidents_unresolved_by_service`);
  }
}
