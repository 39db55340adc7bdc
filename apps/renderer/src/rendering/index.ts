// Rendering only: no Nest, Kafka or database imports, so the CLI stays fast to start.
export { normaliseOutput, renderTemplate, type Template } from './template-engine.js';
export { loadTemplate, type TemplateKind } from './templates.js';
export { checkRcaTemplate, renderImpactSummaryMarkdown, renderRca } from './render.js';
export { incidentFromLog, type PickOptions, type PickResult } from './incident-from-log.js';
export { rcaForLog, summaryForLog, type ForLogResult, type RcaForLogOptions } from './for-log.js';
