import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Analytics across incidents (GET /v1/analytics/incidents) reads these small columns, never the states:
 * at 100,000 incidents a scan of the jsonb states (TOASTed, compressed) costs seconds, these columns
 * milliseconds. Kept by saveIncidents like the other filter columns; filled here for stored incidents.
 */
export class IncidentFigures1764640200000 implements MigrationInterface {
  name = 'IncidentFigures1764640200000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE incidents
      ADD COLUMN team text NULL, ADD COLUMN severity text NULL,
      ADD COLUMN time_to_detect integer NULL, ADD COLUMN time_to_acknowledge integer NULL,
      ADD COLUMN time_to_mitigate integer NULL, ADD COLUMN time_to_resolve integer NULL`);
    await runner.query(`UPDATE incidents SET
      team = state->'team'->>'value', severity = state->'severity'->>'value',
      time_to_detect = (state->'durations'->>'timeToDetectMinutes')::int,
      time_to_acknowledge = (state->'durations'->>'timeToAcknowledgeMinutes')::int,
      time_to_mitigate = (state->'durations'->>'timeToMitigateMinutes')::int,
      time_to_resolve = (state->'durations'->>'timeToResolveMinutes')::int`);
    // The analytics range scan: by first event, merged incidents left out, every figure in the index (index-only scan).
    await runner.query(`CREATE INDEX incidents_figures_by_start ON incidents (first_event_at)
      INCLUDE (id, service, team, severity, time_to_detect, time_to_acknowledge, time_to_mitigate, time_to_resolve) WHERE merged_into IS NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX incidents_figures_by_start`);
    await runner.query(`ALTER TABLE incidents DROP COLUMN team, DROP COLUMN severity, DROP COLUMN time_to_detect,
      DROP COLUMN time_to_acknowledge, DROP COLUMN time_to_mitigate, DROP COLUMN time_to_resolve`);
  }
}
