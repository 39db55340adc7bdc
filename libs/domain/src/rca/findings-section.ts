import type { ImpactFigure, IncidentState } from '../projection/state.js';
import { escapeInline } from './markdown-escape.js';
import type { NumberedLine } from './rca-view.js';
import { formatNumber, formatQuantity, missingLine, NOT_RECORDED, recordedLine, withArticle, type ViewLine } from './text.js';

export function rootCauseSection(state: IncidentState) {
  const rootCause = state.rootCause;
  const service = state.primaryService ?? NOT_RECORDED;
  const factors: NumberedLine[] = (rootCause?.contributingFactors ?? []).map((factor, i) => ({
    number: i + 1,
    ...recordedLine(escapeInline(factor)),
  }));
  const factorsIntro =
    factors.length > 1
      ? 'Investigation revealed multiple contributing factors:'
      : factors.length === 1
        ? 'Investigation revealed one contributing factor:'
        : 'Contributing factors:';
  return {
    recorded: rootCause !== null,
    sentence: rootCause
      ? `The incident was caused by ${escapeInline(rootCause.summary)} in the ${service} service.`
      : `The root cause is ${NOT_RECORDED}.`,
    factorsIntro,
    factors: factors.length > 0 ? factors : [{ number: 1, ...missingLine(NOT_RECORDED) }],
  };
}

const baselineOf = (figure: ImpactFigure) =>
  figure.baseline === null ? NOT_RECORDED : escapeInline(formatQuantity(figure.baseline, figure.unit));
const peakOf = (figure: ImpactFigure) => escapeInline(formatQuantity(figure.peak, figure.unit));

/** The three standard metrics always get their line (recorded or not), in the reference order. */
const STANDARD_METRICS: readonly { metric: string; label: string; line: (f: ImpactFigure) => string }[] = [
  { metric: 'requests_affected', label: 'Service degradation', line: (f) => `Service degradation: ${peakOf(f)} of requests affected` },
  { metric: 'error_rate', label: 'Error rate spike', line: (f) => `Error rate spike: ${peakOf(f)} (baseline: ${baselineOf(f)})` },
  { metric: 'latency_p99', label: 'Latency increase', line: (f) => `Latency increase: p99 went from ${baselineOf(f)} to ${peakOf(f)}` },
];

export function impactLines(state: IncidentState): ViewLine[] {
  const byMetric = new Map(state.impact.map((figure) => [figure.metric, figure]));
  const standard = STANDARD_METRICS.map(({ metric, label, line }) => {
    const figure = byMetric.get(metric);
    return figure ? recordedLine(line(figure)) : missingLine(`${label}: ${NOT_RECORDED}`);
  });
  const others = state.impact
    .filter((figure) => !STANDARD_METRICS.some((s) => s.metric === figure.metric))
    .map((figure) => recordedLine(`${escapeInline(figure.metric)}: peak ${peakOf(figure)} (baseline: ${baselineOf(figure)})`));
  return [...standard, ...others];
}

export function customerImpactLines(state: IncidentState): ViewLine[] {
  const { customerErrors, supportTickets, revenueUsd } = state.customerImpact;
  return [
    customerErrors
      ? recordedLine(`${formatNumber(customerErrors.value)} customer-facing errors`)
      : missingLine(`Customer-facing errors: ${NOT_RECORDED}`),
    supportTickets
      ? recordedLine(`${formatNumber(supportTickets.value)} support tickets created`)
      : missingLine(`Support tickets created: ${NOT_RECORDED}`),
    revenueUsd
      ? recordedLine(`Estimated revenue impact: $${formatNumber(revenueUsd.value)}`)
      : missingLine(`Estimated revenue impact: ${NOT_RECORDED}`),
  ];
}

/** "On <date>, the <service> service experienced <cause>. The incident lasted approximately ..." */
export function summarySentence(state: IncidentState, date: string): string {
  const cause = state.rootCause ? withArticle(escapeInline(state.rootCause.summary)) : `an incident (root cause ${NOT_RECORDED})`;
  const duration = state.durations.durationMinutes ?? NOT_RECORDED;
  const users = state.customerImpact.usersAffected ? formatNumber(state.customerImpact.usersAffected.value) : NOT_RECORDED;
  const services = state.services.length;
  const servicePhrase = `${services} dependent ${services === 1 ? 'service' : 'services'}`;
  return (
    `On ${date}, the ${state.primaryService ?? NOT_RECORDED} service experienced ${cause}. ` +
    `The incident lasted approximately ${duration} minutes and affected ${users} users and ${servicePhrase}.`
  );
}
