/**
 * Every PostgreSQL advisory lock the services take, by name: one place, so two purposes never share an id
 * by accident. The ids are part of the deployed system (instances of different versions must agree): add,
 * never renumber.
 */
export const ADVISORY_LOCKS = {
  /** Held while the timeline migrates its tables, so instances starting together migrate once. */
  timelineMigrations: 7_260_001,
  /** Serialises correlation (and rebuilds) across consumers and instances: one key never opens two incidents. */
  correlation: 7_260_002,
  /** One outbox relay at a time, so each incident's events leave in the order they were stored. */
  outboxRelay: 7_260_003,
  /** Held (session level) for a whole projection rebuild: one at a time, across instances and the CLI. */
  timelineRebuild: 7_260_004,
  /** Held while the renderer migrates its tables. */
  rendererMigrations: 7_260_101,
  /**
   * With an incident's hash (the two-key form: its own key space), held by a renderer batch touching that
   * incident, so two batches never build on each other's uncommitted view of it.
   */
  rendererIncident: 7_260_102,
  /** One relay of the renderer's draft outbox at a time, so each incident's versions leave in order. */
  rendererDraftRelay: 7_260_103,
  /** Held while the notifier migrates its tables. */
  notifierMigrations: 7_260_201,
  /** With an incident's hash: a notifier batch touching that incident (its notices are queued in order). */
  notifierIncident: 7_260_202,
} as const;
