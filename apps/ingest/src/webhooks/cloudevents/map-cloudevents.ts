import { createHash } from 'node:crypto';
import { EVENT_TYPES, reservedForTools, type EventType, type ValidationIssue } from '@app/domain';
import { MAX_EVENTS_PER_REQUEST } from '../../events/validate-envelopes.js';
import { compact, joinPath, validateAllOrNothing, type AllOrNothing, type EventDraft } from '../shared/event-drafts.js';
import type { MappingOptions } from '../shared/mapping-options.js';
import { parsePayload } from '../shared/parse-payload.js';
import { resolveService } from '../shared/service-name.js';
import { cloudEventSchema, type CloudEventAttributes } from './cloudevent-schema.js';
import { readCloudEvents, type CloudEventsMessage, type ReceivedCloudEvent } from './read-cloudevents.js';

const REVERSE_DNS_PREFIX = /^(?:[a-z0-9-]+\.)+$/i;

/** `alert.triggered`, or the same behind a reverse-DNS prefix: `dev.aftermath.alert.triggered`. */
export function catalogueType(type: string): EventType | undefined {
  return EVENT_TYPES.find((candidate) => type === candidate || (type.endsWith(`.${candidate}`) && REVERSE_DNS_PREFIX.test(type.slice(0, -candidate.length))));
}

/** The CloudEvents source's last path segment (`https://x.example/monitors/checkout-probe` -> `checkout-probe`). */
export function envelopeSource(source: string): string {
  const last = source.replace(/[?#].*$/, '').split('/').filter(Boolean).at(-1);
  return (last ?? source).slice(0, 64);
}

/** CloudEvents ids are unique per source only, so the source is part of ours; hashing keeps it short. */
export const cloudEventId = (source: string, id: string) => `ce-${createHash('sha256').update(`${source}\n${id}`).digest('hex').slice(0, 32)}`;

/** CloudEvents 1.0 over HTTP (any content mode) -> one catalogue event per CloudEvent (EVENTS.md, "As CloudEvents"). */
export function mapCloudEvents(message: CloudEventsMessage, options: MappingOptions): AllOrNothing {
  const read = readCloudEvents(message);
  if ('errors' in read) return read;
  if (read.cloudEvents.length > MAX_EVENTS_PER_REQUEST) {
    return { errors: [{ path: '', message: `at most ${MAX_EVENTS_PER_REQUEST} events per request, got ${read.cloudEvents.length}` }] };
  }
  const drafts: EventDraft[] = [];
  const errors: ValidationIssue[] = [];
  for (const received of read.cloudEvents) {
    const draft = draftFor(received, options);
    if ('errors' in draft) errors.push(...draft.errors);
    else drafts.push(draft);
  }
  return errors.length > 0 ? { errors } : validateAllOrNothing(drafts);
}

function draftFor({ attributes, at }: ReceivedCloudEvent, options: MappingOptions): EventDraft | { errors: ValidationIssue[] } {
  const parsed = parsePayload(cloudEventSchema, attributes);
  if ('errors' in parsed) return { errors: parsed.errors.map((issue) => ({ ...issue, path: joinPath(at, issue.path) })) };
  const event: CloudEventAttributes = parsed.value;
  const errors: ValidationIssue[] = [];
  const type = catalogueType(event.type);
  if (!type) errors.push({ path: joinPath(at, 'type'), message: `"${event.type}" is not a catalogue type (optionally behind a reverse-DNS prefix such as dev.aftermath.)` });
  const service = resolveService(event.subject, options);
  if (!service) errors.push({ path: joinPath(at, 'subject'), message: 'the subject names no usable service' });
  const data = event.data ?? undefined;
  if (data !== undefined && (typeof data !== 'object' || Array.isArray(data))) errors.push({ path: joinPath(at, 'data'), message: 'data must be a JSON object' });
  // The id is ours (cloudEventId), the key the sender's: it may not be one ingest derives for the tools.
  for (const issue of reservedForTools({ id: '', incidentKey: event.incidentkey }, { checkId: false })) errors.push({ path: joinPath(at, 'incidentkey'), message: issue.message });
  if (errors.length > 0) return { errors };
  const envelope = compact({
    id: cloudEventId(event.source, event.id),
    type,
    occurredAt: event.time,
    source: envelopeSource(event.source),
    service,
    incidentKey: event.incidentkey,
    data,
  });
  const fields = { id: 'id', type: 'type', occurredAt: 'time', source: 'source', service: 'subject', incidentKey: 'incidentkey', data: 'data' };
  const origin = Object.fromEntries(Object.entries(fields).map(([field, attribute]) => [field, joinPath(at, attribute)]));
  return { envelope, origin, at };
}
