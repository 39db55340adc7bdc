import { Inject, Injectable } from '@nestjs/common';
import { buildImpactSummary, buildRcaView, incidentDate, incidentSlug, type IncidentState, type RcaView } from '@app/domain';
import { invalidConfiguration, messageOf } from '@app/platform';
import { checkRcaTemplate, loadTemplate, renderImpactSummaryMarkdown, renderRca, type Template } from '../rendering/index.js';
import { RendererMetrics } from './renderer-metrics.js';

/** The RCA template in use, loaded and checked once at start-up (see loadRcaTemplate). */
export const RCA_TEMPLATE = Symbol('RCA_TEMPLATE');

/** Turns projected incidents into markdown with the configured (or default) templates. */
@Injectable()
export class RcaDrafts {
  private readonly summaryTemplate: Template;

  constructor(
    @Inject(RCA_TEMPLATE) private readonly rcaTemplate: Template,
    private readonly metrics: RendererMetrics,
  ) {
    this.summaryTemplate = loadTemplate(undefined, 'summary');
  }

  rca(state: IncidentState, previous: IncidentState | null, preparedOn: string): { view: RcaView; markdown: string } {
    const stop = this.metrics.renderSeconds.startTimer();
    const related = previous ? { previous: { date: incidentDate(previous), slug: incidentSlug(previous) } } : undefined;
    const view = buildRcaView(state, { preparedOn, related });
    const markdown = renderRca(view, this.rcaTemplate);
    stop();
    return { view, markdown };
  }

  summary(state: IncidentState) {
    return buildImpactSummary(state);
  }

  summaryMarkdown(state: IncidentState): string {
    return renderImpactSummaryMarkdown(buildImpactSummary(state), this.summaryTemplate);
  }
}

/** A custom template that cannot be read or rendered stops the service at start-up, naming the variable. */
export function loadRcaTemplate(path: string | undefined): Template {
  if (path === undefined) return loadTemplate();
  try {
    const template = { name: path, source: loadTemplate(path) };
    checkRcaTemplate(template);
    return template;
  } catch (error) {
    throw invalidConfiguration(`RCA_TEMPLATE="${path}": ${messageOf(error).replace(/\s*\n\s*/g, ' ')}`);
  }
}
