import { buildImpactSummaryView, type ImpactSummary, type RcaView } from '@app/domain';
import { renderTemplate, type Template } from './template-engine.js';
import { loadSummaryTemplate, loadTemplate } from './templates.js';

// Loaded on first use and kept: the defaults ship with the package and do not change at run time.
let defaultRca: Template | undefined;
let defaultSummary: Template | undefined;

/** The RCA markdown of `view` (from buildRcaView); the same view always gives the same bytes. */
export function renderRca(view: RcaView, template: Template = (defaultRca ??= loadTemplate())): string {
  return renderTemplate(template, view);
}

/** The impact summary as markdown; the template sees buildImpactSummaryView(summary). */
export function renderImpactSummaryMarkdown(
  summary: ImpactSummary,
  template: Template = (defaultSummary ??= loadSummaryTemplate()),
): string {
  return renderTemplate(template, buildImpactSummaryView(summary));
}
