import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An event can move between incidents when a late event splits or joins them (docs/correlation.md): the
 * timeline publishes it again under its new incident, and each message carries the timeline's `sequence`.
 * The renderer keeps, for each event, the placement with the largest one, whatever order the partitions
 * deliver them in. Rows stored before have none (NULL): any numbered placement is newer.
 */
export class EventSequence1765200000000 implements MigrationInterface {
  name = 'EventSequence1765200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE renderer_events ADD COLUMN sequence bigint`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE renderer_events DROP COLUMN sequence`);
  }
}
