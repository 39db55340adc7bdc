import type { CappedList } from './list-caps.js';
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
  /** Present when a retraction moved this milestone: where it stood before the correction. */
  correctedFrom?: TimePoint;
}

export interface IncidentTimes {
  /** The latest-stated impact start (`impact.started`); null when nobody stated one. */
  impactStartedAt: TimePoint | null;
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

/** An `event.retracted` of this incident (EVENTS.md, December additions): the appendix lists each. */
export interface Retraction extends TimePoint {
  /** The retracted event's id. */
  retractedEventId: string;
  /** Its type and time; null while the incident does not hold it (a retraction may arrive first). */
  retractedType: EventType | null;
  retractedAt: string | null;
  /** The milestone source the retracted event would have been (see Milestone.correctedFrom). */
  retractedSource: FirstOccurrenceKey | null;
  actor: string | null;
  reason: string;
}

/** An `incident.merged` that brought another incident's events here. */
export interface Merge extends TimePoint {
  /** The merged-away incident as the event named it (its incidentKey). */
  from: string | null;
  into: string;
  actor: string | null;
}

export interface IncidentState {
  id: string;
  /** Keys seen on the incident's events (incidentKey and correlationKeys), sorted, unique. */
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
  /** Latest-stated impact start (`impact.started`), a fact; times.impactStartedAt mirrors it. */
  impactStarted: TimePoint | null;
  /** The first event other than impact.started, event.retracted or incident.merged: detection when no alert fired. */
  firstReport: TimePoint | null;
  /** Retractions in event-time order; the retracted events count nowhere else. */
  retractions: Retraction[];
  /** `incident.merged` events folded into this incident, in event-time order. */
  merges: Merge[];
  /**
   * Other incidents sharing a key with this one (EVENTS.md rule 1 over several keys). Not a projection
   * of this incident's events alone: `project` leaves it empty and the store or correlateLog fills it.
   */
  possibleDuplicates: string[];
  /** Entries not kept because their list reached its cap (LIST_CAPS), per list; `{}` when none was. */
  overflow: Partial<Record<CappedList, number>>;
  eventCounts: Partial<Record<EventType, number>>;
  eventCount: number;
  firstEventAt: string | null;
  firstEventId: string | null;
  lastEventAt: string | null;
  /** With lastEventAt, the position of the last folded event (ties of lastEventAt broken by id). */
  lastEventId: string | null;
  /** Who resolved it: a person's `status.changed` ("status"), or its alerts when no person gave a status. */
  resolvedBy: 'status' | 'alerts' | null;
  /** Alerts (fingerprint, else name) whose latest event is alert.triggered. */
  firingAlerts: string[];
  /** The alert.resolved after which no alert fired, while none fires. */
  alertsResolvedAt: TimePoint | null;
  /** Services of its alerts, in first-seen order. */
  alertServices: string[];
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
    times: { impactStartedAt: null, startedAt: null, detectedAt: null, acknowledgedAt: null, mitigatedAt: null, resolvedAt: null },
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
    impactStarted: null,
    firstReport: null,
    retractions: [],
    merges: [],
    possibleDuplicates: [],
    overflow: {},
    eventCounts: {},
    eventCount: 0,
    firstEventAt: null,
    firstEventId: null,
    lastEventAt: null,
    lastEventId: null,
    resolvedBy: null,
    firingAlerts: [],
    alertsResolvedAt: null,
    alertServices: [],
  };
}
