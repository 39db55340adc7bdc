/** The event catalogue of EVENTS.md, version 1. Additive only: new types go at the end. */
export const EVENT_TYPES = [
  'alert.triggered',
  'alert.resolved',
  'page.sent',
  'page.acknowledged',
  'page.escalated',
  'incident.declared',
  'severity.changed',
  'status.changed',
  'root_cause.identified',
  'mitigation.applied',
  'service.impacted',
  'impact.measured',
  'customer_impact.reported',
  'resolution.step',
  'lesson.recorded',
  'action_item.added',
  'note.added',
  // Additions of December 2026.
  'impact.started',
  'event.retracted',
  'incident.merged',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

const EVENT_TYPE_SET: ReadonlySet<string> = new Set(EVENT_TYPES);

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && EVENT_TYPE_SET.has(value);
}
