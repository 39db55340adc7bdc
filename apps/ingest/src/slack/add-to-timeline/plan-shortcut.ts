import type { ChannelLink } from '../channel-links/channel-link.js';
import type { SlackPlan } from '../slack-plan.js';
import { escapeMrkdwn, incidentLink } from '../slack-text.js';
import { messageNote, type MessageShortcutPayload } from './message-note.js';

export interface ShortcutSettings {
  /** The slash command, to tell how to link a channel (SLACK_COMMAND). */
  command: string;
  /** Base URL of the incident workspace (WEB_URL). */
  webUrl: string;
}

/** The message shortcut "Add to timeline": the message as a note of the channel's incident. Pure. */
export function planShortcut(payload: MessageShortcutPayload, link: ChannelLink | undefined, settings: ShortcutSettings): SlackPlan {
  if (!link) return { kind: 'reply', text: `Nothing recorded: this channel is not linked to an incident. Link it first with \`${settings.command} link <incident id or key>\`.` };
  const note = messageNote(payload, link);
  if ('problem' in note) return { kind: 'reply', text: `Nothing recorded: ${escapeMrkdwn(note.problem)}.` };
  const reply = `Added the message to the timeline of ${incidentLink(settings.webUrl, link.incidentRef)} at ${note.event.occurredAt} (event \`${note.event.id}\`).`;
  return { kind: 'record', events: [note.event], reply };
}
