import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Template } from './template-engine.js';

// Relative to this module: dist/rendering mirrors src/rendering, so both reach apps/renderer/templates.
const DEFAULT_RCA_TEMPLATE = new URL('../../templates/rca.md.hbs', import.meta.url);
const DEFAULT_SUMMARY_TEMPLATE = new URL('../../templates/summary.md.hbs', import.meta.url);

function read(location: string | URL): Template {
  const name = typeof location === 'string' ? location : fileURLToPath(location);
  return { name, source: readFileSync(location, 'utf8') };
}

/** The RCA template at `path`, or the default one (reproduces the reference RCA). Throws if unreadable. */
export function loadTemplate(path?: string): Template {
  return read(path ?? DEFAULT_RCA_TEMPLATE);
}

/** The impact summary markdown template at `path`, or the default one. */
export function loadSummaryTemplate(path?: string): Template {
  return read(path ?? DEFAULT_SUMMARY_TEMPLATE);
}
