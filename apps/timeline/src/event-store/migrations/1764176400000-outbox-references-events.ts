import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox names the stored event instead of holding a second copy of it: the relay joins the
 * payload when it publishes. Pending rows keep their event id, so none is lost by the change.
 */
export class OutboxReferencesEvents1764176400000 implements MigrationInterface {
  name = 'OutboxReferencesEvents1764176400000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE timeline_outbox DROP COLUMN message`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE timeline_outbox ADD COLUMN message jsonb`);
    await runner.query(
      `UPDATE timeline_outbox o SET message = e.payload || jsonb_build_object('incidentId', o.incident_id) FROM events e WHERE e.event_id = o.event_id`,
    );
    await runner.query(`ALTER TABLE timeline_outbox ALTER COLUMN message SET NOT NULL`);
  }
}
