import type { KafkaMessage } from 'kafkajs';
import { parseEvent, type IncidentEvent } from '@app/domain';
import { messageJson } from '../kafka-batches/message-json.js';
import type { DeadLetter } from '../kafka-batches/isolate-poison.js';

/** A message of incident-timeline.v1: an event and the incident it is placed in (INTERFACES.md). */
export interface CorrelatedEvent {
  incidentId: string;
  event: IncidentEvent;
  /** Set on the message by which the timeline says this incident was merged into `incidentId`. */
  mergedFrom?: string;
  /** The timeline's order of placements: of two messages about one event, the larger says where it is now. */
  sequence?: number;
  /** The event left `incidentId` for no incident. */
  detached?: boolean;
}

/**
 * Splits messages of incident-timeline.v1 into correlated events (an envelope plus its `incidentId`) and
 * dead letters naming what is wrong. Any Kafka client may produce to the topic.
 */
export function decodeCorrelatedEvents(messages: KafkaMessage[]): { events: CorrelatedEvent[]; deadLetters: DeadLetter[] } {
  const events: CorrelatedEvent[] = [];
  const deadLetters: DeadLetter[] = [];
  for (const message of messages) {
    const decoded = messageJson(message);
    if (!decoded.ok) {
      deadLetters.push({ message, reason: decoded.reason });
      continue;
    }
    const json = decoded.json;
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      deadLetters.push({ message, reason: 'not a JSON object' });
      continue;
    }
    // mergedFrom: on the message by which the timeline announces that an incident was merged into incidentId.
    // sequence: grows with each placement the timeline publishes (absent from other producers' messages);
    // detached: the event left incidentId for no incident.
    const { incidentId, mergedFrom, sequence, detached, ...envelope } = json as { incidentId?: unknown; mergedFrom?: unknown; sequence?: unknown; detached?: unknown };
    if (typeof incidentId !== 'string' || incidentId.length === 0) {
      deadLetters.push({ message, reason: 'incidentId: expected a non-empty string', fields: ['incidentId'] });
      continue;
    }
    if (sequence !== undefined && !(Number.isSafeInteger(sequence) && (sequence as number) >= 0)) {
      deadLetters.push({ message, reason: 'sequence: expected a non-negative integer', fields: ['sequence'] });
      continue;
    }
    if (detached !== undefined && typeof detached !== 'boolean') {
      deadLetters.push({ message, reason: 'detached: expected true or false', fields: ['detached'] });
      continue;
    }
    const parsed = parseEvent(envelope);
    if (parsed.ok) {
      events.push({
        incidentId,
        event: parsed.event,
        ...(typeof mergedFrom === 'string' ? { mergedFrom } : {}),
        ...(sequence === undefined ? {} : { sequence: sequence as number }),
        ...(detached === true ? { detached: true } : {}),
      });
    } else {
      const reason = parsed.issues.map((issue) => `${issue.path || '(envelope)'}: ${issue.message}`).join('; ');
      deadLetters.push({ message, reason, fields: parsed.issues.map((issue) => issue.path) });
    }
  }
  return { events, deadLetters };
}
