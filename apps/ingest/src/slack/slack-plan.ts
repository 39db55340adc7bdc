import type { IncidentEvent } from '@app/domain';
import type { ChannelLink } from './channel-links/channel-link.js';

/**
 * What one Slack request comes to, planned purely from the request and the channel's link: only an
 * answer (help, a refusal, nothing linked), or events to record, a new channel link, and the answer.
 */
export type SlackPlan = { kind: 'reply'; text: string } | { kind: 'record'; events: IncidentEvent[]; link?: ChannelLink; reply: string };
