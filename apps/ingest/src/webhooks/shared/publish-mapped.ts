import { invalidRequest } from '@app/platform';
import { accepted, type Accepted } from '../../events/accepted.js';
import type { EventPublisher } from '../../publishing/event-publisher.js';
import type { MappedEvents } from './event-drafts.js';

/** The tail every webhook controller shares: 400 on mapping errors, else 202 once Kafka acknowledged. */
export async function publishMapped(publisher: EventPublisher, mapped: MappedEvents): Promise<Accepted> {
  if ('errors' in mapped) throw invalidRequest(mapped.errors);
  await publisher.publish(mapped.events);
  return accepted(mapped.events);
}
