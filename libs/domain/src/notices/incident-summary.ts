import type { Severity } from '../events/primitives.js';
import type { IncidentState, IncidentStatus, Milestone } from '../projection/state.js';

/**
 * What an outbound notice says about an incident: the fields whose change makes an `incident.updated`
 * (status, severity, services, title, keys) and what a reader needs beside them. A plain JSON value.
 */
export interface IncidentSummary {
  id: string;
  keys: string[];
  title: string | null;
  status: IncidentStatus;
  open: boolean;
  severity: Severity | null;
  services: string[];
  team: string | null;
  startedAt: string | null;
  resolvedAt: string | null;
  /** The latest milestones, newest last (at most MILESTONES_SHOWN). */
  milestones: Pick<Milestone, 'name' | 'at'>[];
}

/** How many milestones a notice carries: enough for a chat message, few enough for a phone screen. */
export const MILESTONES_SHOWN = 4;

/** The fields of a summary whose change is announced, in the order a notice lists them. */
export const ANNOUNCED_FIELDS = ['status', 'severity', 'services', 'title', 'keys'] as const;
export type AnnouncedField = (typeof ANNOUNCED_FIELDS)[number];

export function summarize(state: IncidentState): IncidentSummary {
  return {
    id: state.id,
    keys: state.keys,
    title: state.title?.value ?? state.firstAlertName?.value ?? null,
    status: state.status,
    open: state.open,
    severity: state.severity?.value ?? null,
    services: state.services,
    team: state.team?.value ?? null,
    startedAt: state.times.startedAt?.at ?? state.firstEventAt,
    resolvedAt: state.open ? null : (state.times.resolvedAt?.at ?? null),
    milestones: state.milestones.slice(-MILESTONES_SHOWN).map(({ name, at }) => ({ name, at })),
  };
}
