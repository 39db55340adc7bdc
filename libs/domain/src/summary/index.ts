export * from './impact-summary.js';
export * from './impact-summary-view.js';
