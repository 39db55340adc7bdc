import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The renderer's own copy of what it needs, fed by incident-timeline.v1; it never reads the timeline's tables. */
export class CreateRendererStore1764158500000 implements MigrationInterface {
  name = 'CreateRendererStore1764158500000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE renderer_events (
        event_id text PRIMARY KEY,
        incident_id text NOT NULL,
        payload jsonb NOT NULL
      )`);
    await runner.query(`CREATE INDEX renderer_events_by_incident ON renderer_events (incident_id)`);
    await runner.query(`
      CREATE TABLE renderer_incidents (
        id text PRIMARY KEY,
        keys text[] NOT NULL,
        service text NOT NULL,
        category text NULL,
        is_open boolean NOT NULL,
        first_event_at timestamptz NOT NULL,
        state jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX renderer_incidents_keys ON renderer_incidents USING gin (keys)`);
    await runner.query(`CREATE INDEX renderer_incidents_previous_by_category ON renderer_incidents (category, first_event_at DESC) WHERE NOT is_open`);
    await runner.query(`CREATE INDEX renderer_incidents_previous_by_service ON renderer_incidents (service, first_event_at DESC) WHERE NOT is_open`);
    await runner.query(`
      CREATE TABLE rca_drafts (
        incident_id text NOT NULL,
        version integer NOT NULL,
        prepared_on date NOT NULL,
        file_name text NOT NULL,
        markdown text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (incident_id, version)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE rca_drafts, renderer_incidents, renderer_events`);
  }
}
