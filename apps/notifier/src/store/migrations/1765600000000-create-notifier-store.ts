import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The notifier's own tables, fed by incident-timeline.v1, rca-drafts.v1 and slack-channel-links.v1: its copy
 * of the events (to project incidents as the renderer does), what it last announced of each incident, the
 * draft versions, the delivery queue and log, and the Slack messages it keeps current.
 */
export class CreateNotifierStore1765600000000 implements MigrationInterface {
  name = 'CreateNotifierStore1765600000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE notifier_events (
        event_id text PRIMARY KEY,
        incident_id text NULL,
        sequence bigint NULL,
        payload jsonb NOT NULL
      )`);
    await runner.query(`CREATE INDEX notifier_events_by_incident ON notifier_events (incident_id)`);
    await runner.query(`CREATE INDEX notifier_events_retractions_by_target ON notifier_events ((payload->'data'->>'eventId')) WHERE payload->>'type' = 'event.retracted'`);
    await runner.query(`
      CREATE TABLE notifier_incidents (
        id text PRIMARY KEY,
        state jsonb NOT NULL,
        announced jsonb NULL,
        merged_into text NULL,
        merge_sequence bigint NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE notifier_drafts (
        incident_id text NOT NULL,
        version integer NOT NULL,
        prepared_on text NOT NULL,
        file_name text NOT NULL,
        created_at timestamptz NOT NULL,
        announced_at timestamptz NULL,
        PRIMARY KEY (incident_id, version)
      )`);
    await runner.query(`CREATE INDEX notifier_drafts_waiting ON notifier_drafts (incident_id) WHERE announced_at IS NULL`);
    await runner.query(`
      CREATE TABLE notifier_deliveries (
        id text PRIMARY KEY,
        seq bigserial NOT NULL UNIQUE,
        subscription text NOT NULL,
        channel text NOT NULL,
        incident_id text NOT NULL,
        type text NOT NULL,
        body text NOT NULL,
        status text NOT NULL DEFAULT 'pending',
        attempts integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        lease_until timestamptz NULL,
        last_attempt_at timestamptz NULL,
        last_status integer NULL,
        last_error text NULL,
        finished_at timestamptz NULL
      )`);
    // The queues: per subscription and incident, oldest first; only pending rows are in it.
    await runner.query(`CREATE INDEX notifier_deliveries_queues ON notifier_deliveries (subscription, incident_id, seq) WHERE status = 'pending'`);
    await runner.query(`CREATE INDEX notifier_deliveries_by_incident ON notifier_deliveries (incident_id, seq)`);
    await runner.query(`CREATE INDEX notifier_deliveries_by_subscription ON notifier_deliveries (subscription, seq)`);
    await runner.query(`
      CREATE TABLE notifier_ended_subscriptions (
        subscription text NOT NULL,
        url_digest text NOT NULL,
        ended_at timestamptz NOT NULL DEFAULT now(),
        reason text NOT NULL,
        PRIMARY KEY (subscription, url_digest)
      )`);
    await runner.query(`
      CREATE TABLE notifier_slack_links (
        link_key text PRIMARY KEY,
        channel_id text NOT NULL,
        incident_ref text NOT NULL,
        linked_at timestamptz NOT NULL
      )`);
    await runner.query(`CREATE INDEX notifier_slack_links_by_ref ON notifier_slack_links (incident_ref)`);
    await runner.query(`
      CREATE TABLE notifier_slack_messages (
        incident_id text PRIMARY KEY,
        channel text NULL,
        ts text NULL,
        wanted integer NOT NULL DEFAULT 1,
        posted integer NOT NULL DEFAULT 0,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        lease_until timestamptz NULL,
        last_error text NULL
      )`);
    await runner.query(`CREATE INDEX notifier_slack_messages_waiting ON notifier_slack_messages (next_attempt_at) WHERE wanted > posted`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      `DROP TABLE notifier_slack_messages, notifier_slack_links, notifier_ended_subscriptions, notifier_deliveries, notifier_drafts, notifier_incidents, notifier_events`,
    );
  }
}
