import type { Request } from 'express';
import type { IncidentEvent } from '@app/domain';
import { accepted, type Accepted } from '../../events/accepted.js';
import type { EventPublisher } from '../../publishing/event-publisher.js';
import type { DeadLetterPublisher } from '../dead-letters/dead-letter-publisher.js';
import { keptAside as keptAsidePart, type KeptAside, type MappedEvents } from './event-drafts.js';

/** The 202 answer of a webhook: what was published, and what was kept aside (and under which dead letter). */
export interface WebhookAnswer extends Accepted {
  keptAside?: { deadLetterId: string; parts: KeptAside[] };
}

export interface WebhookPublishers {
  events: EventPublisher;
  deadLetters: DeadLetterPublisher;
}

/** The bytes as received (kept for signatures too); a body without them is re-serialised, the best left. */
export const rawBodyOf = (request: Request, body: unknown): Buffer =>
  (request as Request & { rawBody?: Buffer }).rawBody ?? Buffer.from(JSON.stringify(body) ?? '', 'utf8');

/**
 * The tail every webhook controller shares. The tools do not retry a 4xx, so nothing that authenticated
 * is refused for its content: the parts that map are published, the body is kept aside when any part
 * does not, and the 202 says which parts and why, so the sender does not resend forever.
 */
export async function publishMapped(publishers: WebhookPublishers, source: string, request: Request, body: unknown, all: MappedEvents): Promise<WebhookAnswer> {
  const mapped = withoutFarFuture(publishers.events, all);
  let keptAside: WebhookAnswer['keptAside'];
  if (mapped.keptAside.length > 0) {
    const deadLetterId = await publishers.deadLetters.keepAside(source, rawBodyOf(request, body), mapped.keptAside);
    keptAside = { deadLetterId, parts: mapped.keptAside };
  }
  await publishers.events.publish(mapped.events as IncidentEvent[]);
  return keptAside ? { ...accepted(mapped.events), keptAside } : accepted(mapped.events);
}

/** An event dated beyond MAX_CLOCK_SKEW_MINUTES (the tool's clock runs ahead) is kept aside with the rest. */
function withoutFarFuture(publisher: EventPublisher, mapped: MappedEvents): MappedEvents {
  const ahead = publisher.datedTooFarAhead(mapped.events);
  if (ahead.length === 0) return mapped;
  const refused = new Set(ahead.map(({ index }) => index));
  return {
    events: mapped.events.filter((_event, index) => !refused.has(index)),
    keptAside: [...mapped.keptAside, ...ahead.map(({ index, message }) => keptAsidePart(`event ${mapped.events[index]!.id}`, [{ path: 'occurredAt', message }], 'clock_skew'))],
  };
}
