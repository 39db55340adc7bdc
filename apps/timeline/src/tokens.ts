/** The service's database connection (KAFKA and TOPICS come from @app/platform). */
export const DATA_SOURCE = Symbol('DATA_SOURCE');
