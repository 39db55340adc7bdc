import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A batch folded onto an incident's stored state must not hold an event some stored retraction names (that
 * event counts for nothing): this index answers by the batch's event ids instead of a scan of the incident.
 */
export class RetractionsByTarget1765400000000 implements MigrationInterface {
  name = 'RetractionsByTarget1765400000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE INDEX renderer_events_retractions_by_target ON renderer_events ((payload->'data'->>'eventId')) WHERE payload->>'type' = 'event.retracted'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX renderer_events_retractions_by_target`);
  }
}
