export * from './event-types.js';
export * from './primitives.js';
export * from './data-schemas.js';
export * from './envelope.js';
export * from './parse-event.js';
export { MAX_NESTING } from './storable.js';
export * from './ordering.js';
export * from './parse-event-log.js';
