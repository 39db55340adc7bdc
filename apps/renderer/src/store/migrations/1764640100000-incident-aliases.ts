import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Merged incidents (EVENTS.md, December additions): the renderer learns from the timeline that an incident
 * was merged (a message with `mergedFrom`) and keeps the alias, so its events, drafts and reads follow the
 * target, including messages of the merged incident that were still on their way.
 */
export class IncidentAliases1764640100000 implements MigrationInterface {
  name = 'IncidentAliases1764640100000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE renderer_incident_aliases (from_id text PRIMARY KEY, into_id text NOT NULL)`);
    await runner.query(`CREATE INDEX renderer_incident_aliases_by_target ON renderer_incident_aliases (into_id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE renderer_incident_aliases`);
  }
}
