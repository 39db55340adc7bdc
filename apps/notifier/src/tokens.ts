/** The service's database connection (KAFKA and TOPICS come from @app/platform). */
export const DATA_SOURCE = Symbol('DATA_SOURCE');
/** Every place notices go (targetsOf): the subscriptions of OUTBOUND_WEBHOOKS_FILE and the Teams webhooks. */
export const TARGETS = Symbol('TARGETS');
