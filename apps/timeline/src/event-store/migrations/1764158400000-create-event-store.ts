import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateEventStore1764158400000 implements MigrationInterface {
  name = 'CreateEventStore1764158400000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE incidents (
        id text PRIMARY KEY,
        service text NOT NULL,
        status text NOT NULL,
        is_open boolean NOT NULL,
        first_event_at timestamptz NOT NULL,
        resolved_at timestamptz NULL,
        last_event_at timestamptz NOT NULL,
        last_event_id text NOT NULL,
        event_count integer NOT NULL,
        state jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX incidents_newest ON incidents (first_event_at DESC, id DESC)`);
    await runner.query(`CREATE INDEX incidents_by_service ON incidents (service, first_event_at DESC, id DESC)`);
    await runner.query(`CREATE INDEX incidents_open ON incidents (is_open, first_event_at DESC, id DESC)`);

    await runner.query(`
      CREATE TABLE incident_keys (
        key text PRIMARY KEY,
        incident_id text NOT NULL REFERENCES incidents (id) DEFERRABLE INITIALLY DEFERRED
      )`);
    await runner.query(`CREATE INDEX incident_keys_by_incident ON incident_keys (incident_id)`);

    await runner.query(`
      CREATE TABLE events (
        event_id text PRIMARY KEY,
        type text NOT NULL,
        service text NOT NULL,
        incident_key text NULL,
        occurred_at timestamptz NOT NULL,
        payload jsonb NOT NULL,
        payload_sha256 text NOT NULL,
        incident_id text NULL REFERENCES incidents (id) DEFERRABLE INITIALLY DEFERRED,
        received_at timestamptz NOT NULL DEFAULT now(),
        kafka_partition integer NULL,
        kafka_offset bigint NULL
      )`);
    await runner.query(`CREATE INDEX events_by_incident ON events (incident_id, occurred_at, event_id)`);
    await runner.query(`CREATE INDEX events_unattached_by_service ON events (service, occurred_at) WHERE incident_id IS NULL`);
    await runner.query(`CREATE INDEX events_unattached_by_key ON events (incident_key) WHERE incident_id IS NULL`);

    await runner.query(`
      CREATE TABLE timeline_outbox (
        seq bigserial PRIMARY KEY,
        incident_id text NOT NULL,
        event_id text NOT NULL,
        message jsonb NOT NULL
      )`);

    await runner.query(`
      CREATE TABLE event_conflicts (
        event_id text NOT NULL,
        payload jsonb NOT NULL,
        seen_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE event_conflicts, timeline_outbox, events, incident_keys, incidents`);
  }
}
