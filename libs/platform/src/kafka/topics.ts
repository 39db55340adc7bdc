/** The topics of INTERFACES.md. A prefix isolates test runs sharing one broker; production leaves it empty. */
export interface Topics {
  events: string;
  deadLetters: string;
  timeline: string;
  /** The renderer's dead letters: messages of incident-timeline.v1 it cannot store (an addition of December 2026). */
  timelineDeadLetters: string;
  /** The renderer's new RCA draft versions, from its outbox (an addition of 7 December 2026, for the notifier). */
  rcaDrafts: string;
}

export function topicNames(prefix = ''): Topics {
  return {
    events: `${prefix}incident-events.v1`,
    deadLetters: `${prefix}incident-events.dlq.v1`,
    timeline: `${prefix}incident-timeline.v1`,
    timelineDeadLetters: `${prefix}incident-timeline.dlq.v1`,
    rcaDrafts: `${prefix}rca-drafts.v1`,
  };
}

/** Partition counts: events spread over several partitions so timeline consumers can scale out. */
export const TOPIC_PARTITIONS: Record<keyof Topics, number> = { events: 6, deadLetters: 1, timeline: 6, timelineDeadLetters: 1, rcaDrafts: 6 };
