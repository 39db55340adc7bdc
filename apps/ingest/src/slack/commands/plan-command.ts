import { createHash } from 'node:crypto';
import { parseEvent, UNKNOWN_SERVICE, type IncidentEvent } from '@app/domain';
import type { ChannelLink } from '../channel-links/channel-link.js';
import type { SlackPlan } from '../slack-plan.js';
import { incidentLink, SLACK_SOURCE, slackActor } from '../slack-text.js';
import type { CommandIntent } from './command-grammar.js';
import { describeEvent } from './describe-event.js';
import { grammarText, parseCommand, usageText } from './parse-command.js';
import type { SlashCommand } from './slash-command.js';

export interface CommandPlanInput {
  command: SlashCommand;
  /** Slack's X-Slack-Request-Timestamp: when the person sent the command (signed, so it is Slack's word). */
  requestTime: Date;
  /** The channel's current link, if any. */
  link: ChannelLink | undefined;
  /** Base URL of the incident workspace (WEB_URL). */
  webUrl: string;
}

/**
 * The event id of a command: a hash of what Slack signed for this one invocation (trigger_id is unique
 * per invocation), so a re-delivered request gives the same id, hence changes nothing. Not the signature
 * timestamp: a request re-signed later is still the same command.
 */
export function commandEventId(command: SlashCommand): string {
  const fields = [command.team_id, command.channel_id, command.user_id, command.command, command.text, command.trigger_id];
  return `slack-${createHash('sha256').update(JSON.stringify(fields)).digest('hex').slice(0, 32)}`;
}

/** Turns a slash command into what to record and say. Pure: the caller publishes, stores the link and answers. */
export function planCommand(input: CommandPlanInput): SlackPlan {
  const { command, requestTime } = input;
  const parsed = parseCommand(command.text, requestTime);
  if ('problem' in parsed) {
    const grammar = parsed.subcommand ? usageText(command.command, parsed.subcommand) : `Commands:\n${grammarText(command.command)}`;
    return { kind: 'reply', text: `Nothing recorded: ${parsed.problem}.\n${grammar}` };
  }
  return planIntent(parsed.intent, input);
}

function planIntent(intent: CommandIntent, input: CommandPlanInput): SlackPlan {
  const { command, requestTime, webUrl } = input;
  const id = commandEventId(command);
  const base = { source: SLACK_SOURCE, actor: slackActor(command.user_name), occurredAt: requestTime.toISOString() };
  switch (intent.kind) {
    case 'help':
      return { kind: 'reply', text: `Record what you know about an incident from its channel:\n${grammarText(command.command)}` };
    case 'link': {
      const link = channelLink(input, intent.ref, UNKNOWN_SERVICE);
      return finish([linkNote(id, link, base)], input, link, `Linked this channel to ${incidentLink(webUrl, link.incidentRef)}: later \`${command.command}\` commands here go to it.`);
    }
    case 'declare': {
      const service = intent.service ?? UNKNOWN_SERVICE;
      const link = channelLink(input, declaredIncidentKey(command, id, requestTime), service);
      const declared = { ...base, id, type: 'incident.declared', service, incidentKey: link.incidentRef, data: intent.data };
      return finish([declared, linkNote(id, link, base)], input, link, `Declared ${incidentLink(webUrl, link.incidentRef)} and linked this channel to it.`);
    }
    case 'record': {
      const occurredAt = intent.occurredAt?.toISOString() ?? base.occurredAt;
      if (intent.anyChannel) {
        return finish([{ ...base, id, type: intent.type, occurredAt, service: input.link?.service ?? UNKNOWN_SERVICE, data: intent.data }], input, undefined, 'Recorded:');
      }
      if (!input.link) {
        return { kind: 'reply', text: `Nothing recorded: this channel is not linked to an incident. Link it first with \`${command.command} link <incident id or key>\`, or declare one with \`${command.command} declare <title>\`.` };
      }
      const event = { ...base, id, type: intent.type, occurredAt, service: input.link.service, incidentKey: input.link.incidentRef, data: intent.data };
      return finish([event], input, undefined, `Recorded on ${incidentLink(webUrl, input.link.incidentRef)}:`);
    }
  }
}

/** Validates the envelopes with the same parser as `POST /v1/events`; a failure names the field and shows the grammar. */
function finish(drafts: Record<string, unknown>[], input: CommandPlanInput, link: ChannelLink | undefined, heading: string): SlackPlan {
  const events: IncidentEvent[] = [];
  for (const draft of drafts) {
    const parsed = parseEvent(draft);
    if (!parsed.ok) {
      const problems = parsed.issues.map((issue) => `${issue.path || 'event'}: ${issue.message}`).join('; ');
      return { kind: 'reply', text: `Nothing recorded: ${problems}.\nCommands:\n${grammarText(input.command.command)}` };
    }
    events.push(parsed.event);
  }
  const lines = link ? [] : events.map((event) => `• ${describeEvent(event)}`);
  return { kind: 'record', events, ...(link ? { link } : {}), reply: [heading, ...lines].join('\n') };
}

function channelLink(input: CommandPlanInput, incidentRef: string, service: string): ChannelLink {
  const { command, requestTime } = input;
  return {
    teamId: command.team_id,
    channelId: command.channel_id,
    channelName: command.channel_name,
    incidentRef,
    service,
    linkedBy: slackActor(command.user_name),
    linkedAt: requestTime.toISOString(),
  };
}

/** The link also lands on the incident, so its page shows where it is being worked. */
function linkNote(commandId: string, link: ChannelLink, base: Record<string, unknown>): Record<string, unknown> {
  return {
    ...base,
    id: `${commandId}-link`,
    type: 'note.added',
    service: link.service,
    incidentKey: link.incidentRef,
    data: { text: `Slack channel #${link.channelName} linked to this incident`, slackTeamId: link.teamId, slackChannelId: link.channelId, slackChannelName: link.channelName },
  };
}

/**
 * The key of an incident declared in Slack, readable in a URL: `slack:<date>-<channel>-<6 hex of the command id>`.
 * The timeline gives the incident its own id and links this key to it (EVENTS.md rule 3).
 */
function declaredIncidentKey(command: SlashCommand, commandId: string, requestTime: Date): string {
  const date = requestTime.toISOString().slice(0, 10).replace(/-/g, '');
  const channel = command.channel_name.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').slice(0, 80) || 'channel';
  return `slack:${date}-${channel}-${commandId.slice('slack-'.length, 'slack-'.length + 6)}`;
}
