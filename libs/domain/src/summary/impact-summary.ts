import type { IncidentState, IncidentStatus } from '../projection/state.js';
import type { Severity } from '../events/primitives.js';
import { incidentTitle } from '../rca/identity.js';

export interface MetricImpact {
  peak: number;
  baseline: number | string | null;
  unit: string;
}

/** The impact summary (JSON): every figure null where the log does not record it. */
export interface ImpactSummary {
  incidentId: string;
  title: string;
  primaryService: string | null;
  severity: Severity | null;
  status: IncidentStatus;
  startedAt: string | null;
  /** The latest-stated impact start; null when no `impact.started` is known. */
  impactStartedAt: string | null;
  resolvedAt: string | null;
  durationMinutes: number | null;
  usersAffected: number | null;
  affectedServices: string[];
  requestsAffected: MetricImpact | null;
  errorRate: MetricImpact | null;
  latencyP99: MetricImpact | null;
  customerErrors: number | null;
  supportTickets: number | null;
  revenueUsd: number | null;
  /** Detection minus the stated impact start; null (never 0) when no impact start is known. */
  mttdMinutes: number | null;
  mttaMinutes: number | null;
  mttrMinutes: number | null;
}

function metric(state: IncidentState, name: string): MetricImpact | null {
  const figure = state.impact.find((entry) => entry.metric === name);
  return figure ? { peak: figure.peak, baseline: figure.baseline, unit: figure.unit } : null;
}

export function buildImpactSummary(state: IncidentState): ImpactSummary {
  const c = state.customerImpact;
  return {
    incidentId: state.id,
    title: incidentTitle(state),
    primaryService: state.primaryService,
    severity: state.severity?.value ?? null,
    status: state.status,
    startedAt: state.times.startedAt?.at ?? null,
    impactStartedAt: state.times.impactStartedAt?.at ?? null,
    resolvedAt: state.times.resolvedAt?.at ?? null,
    durationMinutes: state.durations.durationMinutes,
    usersAffected: c.usersAffected?.value ?? null,
    affectedServices: [...state.services],
    requestsAffected: metric(state, 'requests_affected'),
    errorRate: metric(state, 'error_rate'),
    latencyP99: metric(state, 'latency_p99'),
    customerErrors: c.customerErrors?.value ?? null,
    supportTickets: c.supportTickets?.value ?? null,
    revenueUsd: c.revenueUsd?.value ?? null,
    mttdMinutes: state.durations.timeToDetectMinutes,
    mttaMinutes: state.durations.timeToAcknowledgeMinutes,
    mttrMinutes: state.durations.timeToResolveMinutes,
  };
}
