import { parseEvent, reservedForTools, type IncidentEvent, type ValidationIssue } from '@app/domain';

export const MAX_EVENTS_PER_REQUEST = 1000;

/**
 * Validates one envelope or an array of them. All-or-nothing: one bad event rejects the request,
 * so a sender never has to work out which half was taken. Native events may not use the ids and key
 * namespaces ingest derives for the tools (reservedForTools); `toolIds: 'allowed'` lifts that for the
 * replay of a dead letter (POST /v1/events/replay), whose event ingest took from a tool before.
 */
export function validateEnvelopes(body: unknown, options: { toolIds?: 'refused' | 'allowed' } = {}): { events: IncidentEvent[] } | { errors: ValidationIssue[] } {
  const batch = Array.isArray(body);
  const items = batch ? body : [body];
  if (batch && items.length === 0) return { errors: [{ path: '', message: 'expected at least one event' }] };
  if (items.length > MAX_EVENTS_PER_REQUEST) {
    return { errors: [{ path: '', message: `at most ${MAX_EVENTS_PER_REQUEST} events per request, got ${items.length}` }] };
  }
  const events: IncidentEvent[] = [];
  const errors: ValidationIssue[] = [];
  items.forEach((item, index) => {
    const parsed = parseEvent(item);
    const issues = !parsed.ok ? parsed.issues : options.toolIds === 'allowed' ? [] : reservedForTools(parsed.event);
    if (parsed.ok && issues.length === 0) events.push(parsed.event);
    else for (const issue of issues) errors.push({ path: batch ? joinPath(`[${index}]`, issue.path) : issue.path, message: issue.message });
  });
  return errors.length > 0 ? { errors } : { events };
}

const joinPath = (prefix: string, path: string) => (path ? `${prefix}.${path}` : prefix);
