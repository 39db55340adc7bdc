import type { IncidentEvent } from '@app/domain';
import { escapeMrkdwn } from '../slack-text.js';

/** One line saying what an event records, for the ephemeral reply; people's text is escaped for mrkdwn. */
export function describeEvent(event: IncidentEvent): string {
  const line = describe(event);
  return `${escapeMrkdwn(line)} (event \`${escapeMrkdwn(event.id)}\`)`;
}

function describe(event: IncidentEvent): string {
  switch (event.type) {
    case 'incident.declared':
      return `incident declared: ${event.data.title ?? ''}${event.data.severity ? ` (${event.data.severity})` : ''}`;
    case 'status.changed':
      return `status ${event.data.status}${event.data.note ? `: ${event.data.note}` : ''}`;
    case 'severity.changed':
      return `severity ${event.data.severity}`;
    case 'note.added':
      return `note: ${event.data.text}`;
    case 'impact.started':
      return `impact started at ${event.occurredAt}${event.data.note ? `: ${event.data.note}` : ''}`;
    case 'root_cause.identified': {
      const factors = event.data.contributingFactors?.length ?? 0;
      return `root cause (${event.data.category}): ${event.data.summary}${factors > 0 ? `, with ${factors} contributing factor${factors === 1 ? '' : 's'}` : ''}`;
    }
    case 'impact.measured':
      return `impact ${event.data.metric}: peak ${event.data.peak}${event.data.unit}${event.data.baseline !== undefined ? ` (baseline ${event.data.baseline})` : ''}`;
    case 'customer_impact.reported': {
      const { usersAffected, customerErrors, supportTickets, revenueUsd } = event.data;
      const parts = [
        usersAffected !== undefined && `${usersAffected} users`,
        customerErrors !== undefined && `${customerErrors} errors`,
        supportTickets !== undefined && `${supportTickets} tickets`,
        revenueUsd !== undefined && `$${revenueUsd} revenue`,
      ].filter(Boolean);
      return `customer impact: ${parts.join(', ')}`;
    }
    case 'resolution.step':
      return `resolution step: ${event.data.description}`;
    case 'lesson.recorded':
      return `lesson (${event.data.kind === 'went_well' ? 'went well' : 'to improve'}): ${event.data.text}`;
    case 'action_item.added':
      return `action item ${event.data.priority} for ${event.data.owner}, due ${event.data.dueDate}: ${event.data.action}`;
    case 'event.retracted':
      return `retraction of ${event.data.eventId}: ${event.data.reason}`;
    case 'incident.merged':
      return `merge into ${event.data.into}`;
    default:
      return event.type;
  }
}
