import type { IncidentEvent } from '@app/domain';

export interface Accepted {
  accepted: number;
  eventIds: string[];
}

export const accepted = (events: IncidentEvent[]): Accepted => ({ accepted: events.length, eventIds: events.map((e) => e.id) });
