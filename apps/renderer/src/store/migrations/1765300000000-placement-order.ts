import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A late event or a rebuild can leave an event in no incident (a `detached` message): its copy keeps its
 * sequence with no incident, so an older message cannot put it back. An alias takes effect as of its
 * announcement's sequence (-1: announced before messages were numbered): older messages of the merged
 * incident follow it, newer ones mean the incident holds events again (a split gave its id back).
 */
export class PlacementOrder1765300000000 implements MigrationInterface {
  name = 'PlacementOrder1765300000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE renderer_events ALTER COLUMN incident_id DROP NOT NULL`);
    await runner.query(`ALTER TABLE renderer_incident_aliases ADD COLUMN sequence bigint NOT NULL DEFAULT -1`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DELETE FROM renderer_events WHERE incident_id IS NULL`);
    await runner.query(`ALTER TABLE renderer_events ALTER COLUMN incident_id SET NOT NULL`);
    await runner.query(`ALTER TABLE renderer_incident_aliases DROP COLUMN sequence`);
  }
}
