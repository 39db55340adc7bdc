import type { EventType } from '../events/event-types.js';
import type { ActionItemPriority, IncidentStatusValue, LessonKind, Severity } from '../events/primitives.js';
import type { MilestoneName } from './milestones.js';

/*
 * The projected incident: a plain JSON value (stored as jsonb, served by the HTTP API).
 * Every figure carries the id of the event behind it, so the RCA appendix can cite it.
 * All instants are canonical UTC ISO strings (`toISOString()`), whatever offset the events used.
 */

/** A moment backed by one event. */
export interface TimePoint {
  at: string;
  eventId: string;
}

/** A value backed by one event. */
export interface Sourced<T> extends TimePoint {
  value: T;
}

/** `triggered` until the first status.changed. */
export type IncidentStatus = 'triggered' | IncidentStatusValue;

/** First occurrences the milestones and times are derived from (`status:<s>` = first status.changed to s). */
export type FirstOccurrenceKey =
  | 'alert.triggered'
  | 'page.sent'
  | 'page.acknowledged'
  | 'root_cause.identified'
  | 'mitigation.applied'
  | `status:${IncidentStatusValue}`;

export interface Milestone extends TimePoint {
  name: MilestoneName;
}

export interface IncidentTimes {
  startedAt: TimePoint | null;
  detectedAt: TimePoint | null;
  acknowledgedAt: TimePoint | null;
  mitigatedAt: TimePoint | null;
  resolvedAt: TimePoint | null;
}

export interface IncidentDurations {
  durationMinutes: number | null;
  timeToDetectMinutes: number | null;
  timeToAcknowledgeMinutes: number | null;
  timeToMitigateMinutes: number | null;
  timeToResolveMinutes: number | null;
}

export interface RootCause extends TimePoint {
  summary: string;
  category: string;
  contributingFactors: string[];
}

export interface ImpactFigure extends TimePoint {
  metric: string;
  unit: string;
  peak: number;
  baseline: number | string | null;
}

export interface CustomerImpact {
  usersAffected: Sourced<number> | null;
  customerErrors: Sourced<number> | null;
  supportTickets: Sourced<number> | null;
  revenueUsd: Sourced<number> | null;
}

export interface ImpactedService extends TimePoint {
  service: string;
}

export interface ResolutionStep extends TimePoint {
  description: string;
}

export interface Lesson extends TimePoint {
  kind: LessonKind;
  text: string;
}

export interface ActionItem extends TimePoint {
  priority: ActionItemPriority;
  action: string;
  owner: string;
  dueDate: string;
}

export interface Note extends TimePoint {
  text: string;
}

export interface IncidentState {
  id: string;
  /** incidentKeys seen on the incident's events, sorted, unique. */
  keys: string[];
  /** Service of the earliest event. */
  primaryService: string | null;
  /** Primary first, then service.impacted services in event-time order, unique. */
  services: string[];
  impactedServices: ImpactedService[];
  status: IncidentStatus;
  statusChange: TimePoint | null;
  open: boolean;
  /** Most severe level reached (P1 most severe) over incident.declared and severity.changed. */
  severity: Sourced<Severity> | null;
  title: Sourced<string> | null;
  team: Sourced<string> | null;
  firstAlertName: Sourced<string> | null;
  /** Distinct alert names in first-seen order. */
  alertNames: string[];
  firstOccurrences: Partial<Record<FirstOccurrenceKey, TimePoint>>;
  milestones: Milestone[];
  times: IncidentTimes;
  durations: IncidentDurations;
  rootCause: RootCause | null;
  /** One figure per metric, the latest measurement wins; listed in order of first measurement. */
  impact: ImpactFigure[];
  customerImpact: CustomerImpact;
  resolutionSteps: ResolutionStep[];
  lessons: Lesson[];
  actionItems: ActionItem[];
  notes: Note[];
  eventCounts: Partial<Record<EventType, number>>;
  eventCount: number;
  firstEventAt: string | null;
  firstEventId: string | null;
  lastEventAt: string | null;
  /** With lastEventAt, the position of the last folded event (see canEvolveInOrder). */
  lastEventId: string | null;
}

export function initialIncidentState(incidentId: string): IncidentState {
  return {
    id: incidentId,
    keys: [],
    primaryService: null,
    services: [],
    impactedServices: [],
    status: 'triggered',
    statusChange: null,
    open: true,
    severity: null,
    title: null,
    team: null,
    firstAlertName: null,
    alertNames: [],
    firstOccurrences: {},
    milestones: [],
    times: { startedAt: null, detectedAt: null, acknowledgedAt: null, mitigatedAt: null, resolvedAt: null },
    durations: {
      durationMinutes: null,
      timeToDetectMinutes: null,
      timeToAcknowledgeMinutes: null,
      timeToMitigateMinutes: null,
      timeToResolveMinutes: null,
    },
    rootCause: null,
    impact: [],
    customerImpact: { usersAffected: null, customerErrors: null, supportTickets: null, revenueUsd: null },
    resolutionSteps: [],
    lessons: [],
    actionItems: [],
    notes: [],
    eventCounts: {},
    eventCount: 0,
    firstEventAt: null,
    firstEventId: null,
    lastEventAt: null,
    lastEventId: null,
  };
}
