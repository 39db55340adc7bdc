import type { IncidentEvent } from '@app/domain';

const LABELS: Record<string, string> = {
  'alert.triggered': 'Alert triggered',
  'alert.resolved': 'Alert resolved',
  'page.sent': 'Paged',
  'page.acknowledged': 'Page acknowledged',
  'page.escalated': 'Page escalated',
  'incident.declared': 'Declared',
  'severity.changed': 'Severity',
  'status.changed': 'Status',
  'root_cause.identified': 'Root cause',
  'mitigation.applied': 'Mitigation',
  'service.impacted': 'Service affected',
  'impact.measured': 'Impact measured',
  'customer_impact.reported': 'Customer impact',
  'resolution.step': 'Resolution step',
  'lesson.recorded': 'Lesson',
  'action_item.added': 'Action item',
  'note.added': 'Note',
  'impact.started': 'Impact started',
  'event.retracted': 'Retraction',
  'incident.merged': 'Merged',
};

export const typeLabel = (type: string) => LABELS[type] ?? type;

const text = (value: unknown) => (typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value));
const joined = (...parts: unknown[]) => parts.map(text).filter((part) => part.length > 0).join(' · ');

/** One line saying what the event says, for the timeline. */
export function describeEvent(event: IncidentEvent): string {
  const data = event.data as Record<string, unknown>;
  switch (event.type) {
    case 'alert.triggered':
      return joined(data.alertName, data.severity, data.summary);
    case 'alert.resolved':
      return text(data.alertName);
    case 'page.sent':
    case 'page.acknowledged':
    case 'page.escalated':
      return joined(data.responder, data.escalationPolicy);
    case 'incident.declared':
      return joined(data.title, data.severity, data.team);
    case 'severity.changed':
      return text(data.severity);
    case 'status.changed':
      return joined(data.status, data.note);
    case 'root_cause.identified': {
      const factors = Array.isArray(data.contributingFactors) ? data.contributingFactors.map(text) : [];
      return joined(`${text(data.category)}: ${text(data.summary)}`, factors.length ? `factors: ${factors.join('; ')}` : '');
    }
    case 'mitigation.applied':
      return text(data.action);
    case 'service.impacted':
      return text(data.service);
    case 'impact.measured':
      return `${text(data.metric)} peak ${text(data.peak)}${text(data.unit)}${data.baseline !== undefined ? ` (baseline ${text(data.baseline)}${text(data.unit)})` : ''}`;
    case 'customer_impact.reported':
      return joined(
        data.usersAffected !== undefined ? `${text(data.usersAffected)} users` : '',
        data.customerErrors !== undefined ? `${text(data.customerErrors)} errors` : '',
        data.supportTickets !== undefined ? `${text(data.supportTickets)} tickets` : '',
        data.revenueUsd !== undefined ? `$${text(data.revenueUsd)}` : '',
      );
    case 'resolution.step':
      return text(data.description);
    case 'lesson.recorded':
      return `${data.kind === 'went_well' ? 'went well' : 'to improve'}: ${text(data.text)}`;
    case 'action_item.added':
      return joined(data.priority, data.action, data.owner, `due ${text(data.dueDate)}`);
    case 'note.added':
      return text(data.text);
    case 'impact.started':
      return text(data.note);
    case 'event.retracted':
      return `${text(data.eventId)}: ${text(data.reason)}`;
    case 'incident.merged':
      return `into ${text(data.into)}`;
    default:
      return '';
  }
}

/** `2025-04-05 15:28 UTC`: minutes are what incidents are measured in. */
export function formatInstant(at: string | null | undefined): string {
  if (!at) return '';
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? at : `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 16)} UTC`;
}

export function formatMinutes(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined) return 'not recorded';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${minutes % 60} min`;
}
