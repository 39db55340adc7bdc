export * from './settings.js';
export * from './incident-id.js';
export { alertIdentity, opensIncident, OPENING_EVENT_TYPES } from './tracked-incident.js';
export * from './correlate-log.js';
export * from './plan-correlation.js';
export * from './corrections.js';
export * from './settings-env.js';
export * from './correlation-snapshot.js';
export * from './continue-correlation.js';
