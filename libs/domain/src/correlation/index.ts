export * from './index-model.js';
export { indexEntryFromState } from './from-state.js';
export { absorbEvent, incidentOpenedBy } from './absorb-event.js';
export { matchByKey, matchByWindow, windowContains, opensIncident, OPENING_EVENT_TYPES } from './rules.js';
export * from './correlate.js';
export * from './reattach.js';
export * from './correlate-log.js';
export * from './plan-correlation.js';
export * from './incident-id.js';
