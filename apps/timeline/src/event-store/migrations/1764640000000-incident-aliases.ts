import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Corrections (EVENTS.md, December additions): an incident merged into another becomes its alias
 * (`merged_into`, always the final target), the outbox can tell the renderer about a merge, retractions are
 * found by the event they name, and a merge whose target is not known yet waits in `pending_merges`.
 */
export class IncidentAliases1764640000000 implements MigrationInterface {
  name = 'IncidentAliases1764640000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE incidents ADD COLUMN merged_into text NULL, ADD COLUMN merge_reason text NULL`);
    await runner.query(`CREATE INDEX incidents_merged_into ON incidents (merged_into) WHERE merged_into IS NOT NULL`);
    await runner.query(`ALTER TABLE timeline_outbox ADD COLUMN merged_from text NULL`);
    await runner.query(`CREATE INDEX events_retractions_by_target ON events ((payload->'data'->>'eventId')) WHERE type = 'event.retracted'`);
    await runner.query(`CREATE TABLE pending_merges (event_id text PRIMARY KEY, into_ref text NOT NULL)`);
    // Unattached events found by any of their correlationKeys (rule 1 over every key).
    // Incidents sharing a key list each other as possible duplicates (read side).
    await runner.query(`CREATE INDEX incidents_by_every_key ON incidents USING gin ((state->'keys')) WHERE merged_into IS NULL`);
    await runner.query(`CREATE INDEX events_unattached_by_correlation_keys ON events USING gin ((payload->'correlationKeys')) WHERE incident_id IS NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX events_unattached_by_correlation_keys, incidents_by_every_key`);
    await runner.query(`DROP TABLE pending_merges`);
    await runner.query(`DROP INDEX events_retractions_by_target`);
    await runner.query(`ALTER TABLE timeline_outbox DROP COLUMN merged_from`);
    await runner.query(`DROP INDEX incidents_merged_into`);
    await runner.query(`ALTER TABLE incidents DROP COLUMN merge_reason, DROP COLUMN merged_into`);
  }
}
