export * from './rca-view.js';
export * from './text.js';
export * from './markdown-escape.js';
export { incidentDate, incidentSlug, incidentSubject, incidentTitle } from './identity.js';
export { buildRcaView } from './build-rca-view.js';
