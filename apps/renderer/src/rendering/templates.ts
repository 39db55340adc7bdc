import { readFileSync } from 'node:fs';

export type TemplateKind = 'rca' | 'summary';

// Relative to this module: dist/rendering mirrors src/rendering, so both reach apps/renderer/templates.
const DEFAULTS: Record<TemplateKind, URL> = {
  rca: new URL('../../templates/rca.md.hbs', import.meta.url),
  summary: new URL('../../templates/summary.md.hbs', import.meta.url),
};

/**
 * The template source at `path`, or the default of its kind (the RCA default reproduces the
 * reference RCA). Throws when the file cannot be read.
 */
export function loadTemplate(path?: string, kind: TemplateKind = 'rca'): string {
  return readFileSync(path ?? DEFAULTS[kind], 'utf8');
}
