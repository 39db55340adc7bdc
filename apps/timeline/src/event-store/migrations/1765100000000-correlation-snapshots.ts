import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A batch whose events come after every event of the incidents it reaches continues their correlation from a
 * snapshot (incidents.correlation) instead of loading and correlating all their events again; it must know
 * that no other incident has an event as late as its first, which the events from that time on tell
 * (events_by_time: a handful, near the head of the log). Incidents stored before have no snapshot: their
 * next batch correlates from the events and leaves one.
 */
export class CorrelationSnapshots1765100000000 implements MigrationInterface {
  name = 'CorrelationSnapshots1765100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE incidents ADD COLUMN correlation jsonb`);
    await runner.query(`CREATE INDEX events_by_time ON events (occurred_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX events_by_time`);
    await runner.query(`ALTER TABLE incidents DROP COLUMN correlation`);
  }
}
