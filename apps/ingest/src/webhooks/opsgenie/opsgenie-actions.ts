import type { EventType } from '@app/domain';
import { compact } from '../shared/event-drafts.js';
import type { OpsgenieAlert } from './opsgenie-payload.js';

export interface CatalogueEvent {
  type: EventType;
  data: Record<string, unknown>;
  origin?: Record<string, string>;
}

const note = (text: string | undefined, from?: string): CatalogueEvent => ({
  type: 'note.added',
  data: { text: text ?? '' },
  origin: from ? { 'data.text': from } : undefined,
});

/** Opsgenie documents priorities as `P1`-`P5`; some integrations send the number alone (3). */
const severityOf = (priority: string | undefined) => (priority && /^[1-5]$/.test(priority) ? `P${priority}` : priority);

/**
 * The catalogue event an Opsgenie action stands for. Create is the alert itself (alert.triggered, not
 * also page.sent: Opsgenie's notifications are not visible in the webhook). Actions without a closer
 * match become notes, so the timeline keeps them and a new action is never a 400.
 */
export function catalogueEventFor(action: string, alert: OpsgenieAlert, product = 'Opsgenie'): CatalogueEvent {
  const by = alert.username ? ` by ${alert.username}` : '';
  switch (action) {
    case 'Create':
      return {
        type: 'alert.triggered',
        data: compact({ alertName: alert.message?.trim() || alert.alias, severity: severityOf(alert.priority), summary: alert.description, fingerprint: alert.alias }),
        origin: { 'data.alertName': 'alert.message' },
      };
    case 'Acknowledge':
      return { type: 'page.acknowledged', data: compact({ responder: alert.username }) };
    case 'Close':
      return { type: 'status.changed', data: { status: 'resolved', note: `Alert closed in ${product}${by}` } };
    case 'AddNote':
      return note(alert.note, 'alert.note');
    case 'Escalate':
    case 'EscalateNext':
      return { type: 'page.escalated', data: {} };
    case 'AssignOwnership':
      return { type: 'page.escalated', data: compact({ responder: alert.owner }) };
    case 'UnAcknowledge':
      return note(`Alert unacknowledged in ${product}${by}`);
    default:
      return note(`${product} ${action}${by}`);
  }
}
