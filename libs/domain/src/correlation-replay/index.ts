export * from './correlation-view.js';
export * from './compare-partitions.js';
export * from './replay-report.js';
export * from './replay-table.js';
