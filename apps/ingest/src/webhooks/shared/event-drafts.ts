import { parseEvent, type IncidentEvent } from '@app/domain';
import type { FieldIssue } from '@app/platform';

/** What every mapper returns: all events, or the reasons the request is a 400. */
export type MappedEvents = { events: IncidentEvent[] } | { errors: FieldIssue[] };

/** An envelope built from a tool's payload, not yet validated. */
export interface EventDraft {
  envelope: Record<string, unknown>;
  /** Payload path of each envelope field, so a failure names the field the tool sent, not ours. */
  origin: Record<string, string>;
  /** Where in the payload the event came from: the prefix for envelope fields without an origin. */
  at: string;
}

export const joinPath = (prefix: string, path: string) => (prefix && path ? `${prefix}.${path}` : prefix || path);

/** Drops undefined fields: the envelope is strict about shape, and `data` fields are optional, not nullable. */
export function compact<T extends Record<string, unknown>>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}

/**
 * Every mapped event goes through the same `parseEvent` as `POST /v1/events`, so a webhook can never
 * publish what the API would refuse. All-or-nothing, like the events endpoint.
 */
export function validateDrafts(drafts: readonly EventDraft[]): MappedEvents {
  const events: IncidentEvent[] = [];
  const errors: FieldIssue[] = [];
  for (const draft of drafts) {
    const parsed = parseEvent(draft.envelope);
    if (parsed.ok) events.push(parsed.event);
    else for (const issue of parsed.issues) errors.push({ path: payloadPath(draft, issue.path), message: `${issue.message} (event field ${issue.path || '(root)'})` });
  }
  return errors.length > 0 ? { errors } : { events };
}

/** The origin of the envelope path or of its nearest mapped ancestor (`data.labels.team` -> labels + `.team`). */
function payloadPath(draft: EventDraft, envelopePath: string): string {
  const segments = envelopePath.split('.');
  for (let length = segments.length; length > 0; length--) {
    const origin = draft.origin[segments.slice(0, length).join('.')];
    if (origin !== undefined) return joinPath(origin, segments.slice(length).join('.'));
  }
  return joinPath(draft.at, envelopePath);
}
