import { createHash } from 'node:crypto';
import { parseEvent, type IncidentEvent } from '@app/domain';
import type { ChannelLink } from '../channel-links/channel-link.js';
import { SLACK_SOURCE, slackActor } from '../slack-text.js';

/** The callback id of the message shortcut "Add to timeline" (deploy/slack-app-manifest.yml). */
export const ADD_TO_TIMELINE = 'add_to_timeline';

/** The fields of Slack's `message_action` payload that the shortcut reads. */
export interface MessageShortcutPayload {
  team: { id: string; domain?: string } | null;
  channel: { id: string; name?: string };
  user: { id: string; name?: string; username?: string };
  message: { ts: string; text?: string; user?: string; username?: string; thread_ts?: string; user_profile?: { name?: string } };
}

/**
 * One id per message (workspace, channel, Slack's message ts), whoever adds it and however often:
 * adding the same message twice records it once.
 */
export function messageEventId(payload: MessageShortcutPayload): string {
  const fields = [payload.team?.id ?? '', payload.channel.id, payload.message.ts];
  return `slack-message-${createHash('sha256').update(JSON.stringify(fields)).digest('hex').slice(0, 32)}`;
}

/** Slack's `ts` ("1712331000.123456", seconds and microseconds) as RFC 3339 with milliseconds. */
export function slackTsToIso(ts: string): string | null {
  if (!/^\d{1,12}(\.\d{1,6})?$/.test(ts)) return null;
  return new Date(Math.floor(Number(ts) * 1000)).toISOString();
}

/**
 * The message's permalink in Slack's own form (what chat.getPermalink answers), built from the payload so
 * the app needs no token: `https://<domain>.slack.com/archives/<channel>/p<ts without the dot>`.
 */
export function messagePermalink(payload: MessageShortcutPayload): string | undefined {
  const domain = payload.team?.domain;
  if (!domain) return undefined;
  const { ts, thread_ts: threadTs } = payload.message;
  const base = `https://${domain}.slack.com/archives/${payload.channel.id}/p${ts.replace('.', '')}`;
  return threadTs && threadTs !== ts ? `${base}?thread_ts=${threadTs}&cid=${payload.channel.id}` : base;
}

/**
 * The author as actor: Slack sends the author's user id; their name when the message carries their
 * profile, or when they are the one adding it; a bot's username; else the id.
 */
export function messageAuthor(payload: MessageShortcutPayload): string {
  const { message, user } = payload;
  const name = message.user_profile?.name ?? (message.user && message.user === user.id ? (user.name ?? user.username) : undefined) ?? message.username ?? message.user;
  return slackActor(name ?? 'unknown');
}

export type MessageNote = { event: IncidentEvent } | { problem: string };

/** The message as a `note.added` of the channel's incident, at the message's own time. Pure. */
export function messageNote(payload: MessageShortcutPayload, link: ChannelLink): MessageNote {
  const text = payload.message.text?.trim();
  if (!text) return { problem: 'the message has no text to add (only attachments or blocks)' };
  const occurredAt = slackTsToIso(payload.message.ts);
  if (!occurredAt) return { problem: `the message's ts "${payload.message.ts}" is not a Slack timestamp` };
  const permalink = messagePermalink(payload);
  const parsed = parseEvent({
    id: messageEventId(payload),
    type: 'note.added',
    occurredAt,
    source: SLACK_SOURCE,
    service: link.service,
    incidentKey: link.incidentRef,
    actor: messageAuthor(payload),
    data: { text, ...(permalink ? { permalink } : {}), slackChannelId: payload.channel.id, slackMessageTs: payload.message.ts },
  });
  if (!parsed.ok) return { problem: parsed.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ') };
  return { event: parsed.event };
}
