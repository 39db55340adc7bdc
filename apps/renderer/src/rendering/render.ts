import { buildImpactSummaryView, buildRcaView, project, type ImpactSummary, type RcaView } from '@app/domain';
import { renderTemplate, type Template } from './template-engine.js';
import { loadTemplate, type TemplateKind } from './templates.js';

// Read on first use and kept: the defaults ship with the package and do not change at run time.
const defaults = new Map<TemplateKind, Template>();

function defaultTemplate(kind: TemplateKind): Template {
  let template = defaults.get(kind);
  if (!template) {
    template = { name: `default ${kind} template`, source: loadTemplate(undefined, kind) };
    defaults.set(kind, template);
  }
  return template;
}

/** The RCA markdown of `view` (from buildRcaView); the same view always gives the same bytes. */
export function renderRca(view: RcaView, template: Template = defaultTemplate('rca')): string {
  return renderTemplate(template, view);
}

/** The impact summary as markdown; the template sees buildImpactSummaryView(summary). */
export function renderImpactSummaryMarkdown(summary: ImpactSummary, template: Template = defaultTemplate('summary')): string {
  return renderTemplate(template, buildImpactSummaryView(summary));
}

/**
 * Renders `template` once over the view of an empty incident, so a service can reject a custom
 * template with a misspelt field at start-up rather than on its first draft. Throws an `invalid-template` problem.
 */
export function checkRcaTemplate(template: Template): void {
  renderRca(buildRcaView(project('template-check', []), { preparedOn: '2000-01-01' }), template);
}
