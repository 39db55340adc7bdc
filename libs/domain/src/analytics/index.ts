export * from './incident-analytics.js';
