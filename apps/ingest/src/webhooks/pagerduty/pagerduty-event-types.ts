import { SEVERITIES, type EventType } from '@app/domain';
import { compact } from '../shared/event-drafts.js';
import type { PagerDutyEvent } from './pagerduty-payload.js';

export interface CatalogueEvent {
  type: EventType;
  data: Record<string, unknown>;
  /** Payload path of each data field taken from the payload, for error messages. */
  origin?: Record<string, string>;
}

type Reference = { summary?: string | null } | null | undefined;
const summaryOf = (reference: Reference) => reference?.summary ?? undefined;
const isSeverity = (value: string | undefined): value is (typeof SEVERITIES)[number] => (SEVERITIES as readonly string[]).includes(value ?? '');

const note = (text: string | null | undefined, from?: string): CatalogueEvent => ({
  type: 'note.added',
  data: { text: text ?? '' },
  origin: from ? { 'data.text': from } : undefined,
});
const status = (value: 'resolved' | 'investigating', text: string): CatalogueEvent => ({ type: 'status.changed', data: { status: value, note: text } });

/**
 * The catalogue event a PagerDuty incident event stands for. Types without a closer match become
 * notes, so the timeline keeps them; a new PagerDuty type lands as a note rather than a 400.
 */
export function catalogueEventFor(event: PagerDutyEvent): CatalogueEvent {
  const data = event.data;
  const agent = summaryOf(event.agent);
  const by = agent ? ` by ${agent}` : '';
  const firstAssignee = summaryOf(data.assignees?.[0]);
  switch (event.event_type) {
    case 'incident.triggered':
      return { type: 'page.sent', data: compact({ responder: firstAssignee, escalationPolicy: summaryOf(data.escalation_policy) }) };
    case 'incident.acknowledged':
      return { type: 'page.acknowledged', data: compact({ responder: agent ?? firstAssignee }) };
    case 'incident.escalated':
    case 'incident.reassigned':
      return { type: 'page.escalated', data: compact({ responder: firstAssignee }) };
    case 'incident.resolved':
      return status('resolved', `Resolved in PagerDuty${by}`);
    case 'incident.reopened':
      return status('investigating', `Reopened in PagerDuty${by}`);
    case 'incident.annotated':
      return note(data.content, 'event.data.content');
    case 'incident.status_update_published':
      return note(data.message, 'event.data.message');
    case 'incident.priority_updated':
      return priorityChange(summaryOf(data.priority), by);
    case 'incident.delegated':
      return note(`Delegated to escalation policy ${summaryOf(data.escalation_policy) ?? '(unnamed)'}${by}`);
    case 'incident.unacknowledged':
      return note('Acknowledgement lapsed in PagerDuty: the incident is triggered again');
    case 'incident.responder.added':
      return note(`Responder requested: ${summaryOf(data.user) ?? '(unnamed)'}${data.message ? `: ${data.message}` : ''}`);
    case 'incident.responder.replied':
      return note(`${summaryOf(data.user) ?? 'A responder'} replied to the responder request: ${data.state ?? 'unknown'}`);
    default:
      return note(`PagerDuty ${event.event_type}${by}`);
  }
}

/** Only the catalogue's P1-P5 is a severity; account-specific priority names stay visible as a note. */
function priorityChange(priority: string | undefined, by: string): CatalogueEvent {
  if (isSeverity(priority)) return { type: 'severity.changed', data: { severity: priority }, origin: { 'data.severity': 'event.data.priority.summary' } };
  return note(priority ? `Priority changed to ${priority}${by}` : `Priority removed${by}`);
}
