export * from './incident-summary.js';
export * from './notices.js';
