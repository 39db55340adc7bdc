export * from './events/index.js';
export * from './projection/index.js';
export * from './correlation/index.js';
export * from './rca/index.js';
export * from './summary/index.js';
export * from './analytics/index.js';
export * from './problems/index.js';
export * from './correlation-replay/index.js';
