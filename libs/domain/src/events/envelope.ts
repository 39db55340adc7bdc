import * as z from 'zod';
import { eventDataSchemas } from './data-schemas.js';
import type { EventType } from './event-types.js';
import { keyString, nameString, occurredAtSchema, serviceNameSchema } from './primitives.js';

/**
 * One strict envelope per catalogue type. `data` defaults to `{}` *before* validation
 * (prefault), so a missing payload of a type with required fields fails on the field
 * (`data.alertName`) rather than being silently accepted.
 */
function envelopeFor<T extends EventType, S extends z.ZodType>(type: T, dataSchema: S) {
  const emptyPayload = {} as z.input<S>;
  return z.strictObject({
    id: keyString,
    type: z.literal(type),
    occurredAt: occurredAtSchema,
    source: keyString.max(64),
    service: serviceNameSchema,
    incidentKey: keyString.optional(),
    correlationKeys: z.array(keyString).max(8).optional(),
    actor: nameString.optional(),
    data: dataSchema.prefault(emptyPayload),
  });
}

const data = eventDataSchemas;

/** The wire envelope of EVENTS.md: a union discriminated by `type`, usable for OpenAPI generation. */
export const eventEnvelopeSchema = z.discriminatedUnion('type', [
  envelopeFor('alert.triggered', data['alert.triggered']),
  envelopeFor('alert.resolved', data['alert.resolved']),
  envelopeFor('page.sent', data['page.sent']),
  envelopeFor('page.acknowledged', data['page.acknowledged']),
  envelopeFor('page.escalated', data['page.escalated']),
  envelopeFor('incident.declared', data['incident.declared']),
  envelopeFor('severity.changed', data['severity.changed']),
  envelopeFor('status.changed', data['status.changed']),
  envelopeFor('root_cause.identified', data['root_cause.identified']),
  envelopeFor('mitigation.applied', data['mitigation.applied']),
  envelopeFor('service.impacted', data['service.impacted']),
  envelopeFor('impact.measured', data['impact.measured']),
  envelopeFor('customer_impact.reported', data['customer_impact.reported']),
  envelopeFor('resolution.step', data['resolution.step']),
  envelopeFor('lesson.recorded', data['lesson.recorded']),
  envelopeFor('action_item.added', data['action_item.added']),
  envelopeFor('note.added', data['note.added']),
  envelopeFor('impact.started', data['impact.started']),
  envelopeFor('event.retracted', data['event.retracted']),
  envelopeFor('incident.merged', data['incident.merged']),
]);

/** A validated event: the envelope as sent, occurredAt normalised (parseEvent), typed per `type`. */
export type IncidentEvent = z.output<typeof eventEnvelopeSchema>;
/** What a producer may send (data optional, defaults to `{}`). */
export type EventEnvelopeInput = z.input<typeof eventEnvelopeSchema>;
/** The event of one catalogue type, e.g. `EventOf<'status.changed'>`. */
export type EventOf<T extends EventType> = Extract<IncidentEvent, { type: T }>;
