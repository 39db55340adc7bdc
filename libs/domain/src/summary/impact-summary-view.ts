import { escapeInline } from '../rca/markdown-escape.js';
import { formatQuantity, missingLine, NOT_RECORDED, recordedLine, type ViewLine } from '../rca/text.js';
import type { ImpactSummary, MetricImpact } from './impact-summary.js';

/** The impact summary's markdown content: a heading and `Label: value` lines, `_not recorded_` where null. */
export interface ImpactSummaryView {
  heading: string;
  lines: ViewLine[];
}

function line(label: string, value: string | number | null, suffix = ''): ViewLine {
  return value === null ? missingLine(`${label}: ${NOT_RECORDED}`) : recordedLine(`${label}: ${value}${suffix}`);
}

function metricText(impact: MetricImpact | null): string | null {
  if (!impact) return null;
  const peak = formatQuantity(impact.peak, impact.unit);
  const baseline = impact.baseline === null ? NOT_RECORDED : formatQuantity(impact.baseline, impact.unit);
  return escapeInline(`${peak} (baseline: ${baseline})`);
}

export function buildImpactSummaryView(summary: ImpactSummary): ImpactSummaryView {
  return {
    heading: `Impact summary: ${escapeInline(summary.title)}`,
    lines: [
      line('Severity', summary.severity),
      line('Status', summary.status),
      line('Duration', summary.durationMinutes, ' minutes'),
      line('Users affected', summary.usersAffected),
      line('Affected services', summary.affectedServices.length > 0 ? summary.affectedServices.join(', ') : null),
      line('Requests affected', metricText(summary.requestsAffected)),
      line('Error rate', metricText(summary.errorRate)),
      line('Latency p99', metricText(summary.latencyP99)),
      line('Customer-facing errors', summary.customerErrors),
      line('Support tickets', summary.supportTickets),
      line('Estimated revenue impact', summary.revenueUsd === null ? null : `$${summary.revenueUsd}`),
      line('Time to detect (MTTD)', summary.mttdMinutes, ' minutes'),
      line('Time to acknowledge (MTTA)', summary.mttaMinutes, ' minutes'),
      line('Time to resolve (MTTR)', summary.mttrMinutes, ' minutes'),
    ],
  };
}
