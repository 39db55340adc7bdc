import { createHash } from 'node:crypto';
import type { IncidentChange, IncidentSummary, NoticeType } from '@app/domain';

/** A new RCA draft version, as rca-drafts.v1 announced it. */
export interface DraftVersion {
  version: number;
  preparedOn: string;
  fileName: string;
  createdAt: string;
}

/** One thing to tell every target that wants it: what happened to which incident, and its summary then. */
export interface Notice {
  /** Deterministic, so a batch delivered twice queues nothing twice: a delivery's id derives from it. */
  key: string;
  type: NoticeType;
  /** The incident whose queue it joins (for a merge, the incident merged away). */
  incidentId: string;
  /** When it happened: the causing event's time, or the draft's. */
  timestamp: string;
  summary: IncidentSummary;
  /** What the type adds: `changed` fields, `mergedInto`, or the `draft`. */
  details: { changed?: string[]; mergedInto?: string; draft?: DraftVersion };
}

/** An incident's opened, updated or resolved notice, caused by the event (and placement message) folded last. */
export function incidentNotice(change: IncidentChange, summary: IncidentSummary, cause: { eventId: string; sequence: number; occurredAt: string }): Notice {
  return {
    key: `${summary.id}/${change.type}/${cause.eventId}/${cause.sequence}`,
    type: change.type,
    incidentId: summary.id,
    timestamp: cause.occurredAt,
    summary,
    details: { changed: change.changed },
  };
}

export function mergedNotice(summary: IncidentSummary, into: string, merge: { sequence: number; occurredAt: string }): Notice {
  return {
    key: `${summary.id}/incident.merged/${into}/${merge.sequence}`,
    type: 'incident.merged',
    incidentId: summary.id,
    timestamp: merge.occurredAt,
    summary,
    details: { mergedInto: into },
  };
}

export function draftedNotice(summary: IncidentSummary, draft: DraftVersion): Notice {
  return { key: `${summary.id}/rca.drafted/${draft.version}`, type: 'rca.drafted', incidentId: summary.id, timestamp: draft.createdAt, summary, details: { draft } };
}

/** The `webhook-id` of a notice sent to a target: the same on every retry and redelivery (Standard Webhooks). */
export const deliveryId = (target: string, notice: Pick<Notice, 'key'>) => `msg_${createHash('sha256').update(`${target}\n${notice.key}`).digest('hex').slice(0, 32)}`;
