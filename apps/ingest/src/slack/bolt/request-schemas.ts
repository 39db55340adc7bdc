import * as z from 'zod';

/* Slack's request bodies as ingest validates them (and as its OpenAPI document describes them). */

/** The form fields of a slash command request that Slack documents (all strings). */
export const slashCommandSchema = z
  .object({
    token: z.string().optional().meta({ description: 'Deprecated verification token; ignored (the signature is checked instead)' }),
    team_id: z.string(),
    team_domain: z.string().optional(),
    channel_id: z.string(),
    channel_name: z.string(),
    user_id: z.string(),
    user_name: z.string().meta({ description: 'Becomes the actor `slack:<user_name>`' }),
    command: z.string().meta({ description: 'SLACK_COMMAND, /incident by default' }),
    text: z.string().meta({ description: 'The subcommand and its arguments (docs/slack.md)' }),
    response_url: z.string().optional(),
    trigger_id: z.string().meta({ description: 'Unique per invocation: part of the event id, so a re-delivery changes nothing' }),
    api_app_id: z.string().optional(),
  })
  .loose();

export const interactionSchema = z.object({
  payload: z.string().meta({ description: 'JSON of a Slack interaction; the message shortcut `add_to_timeline` (type `message_action`) is handled' }),
});

export const replySchema = z.object({
  response_type: z.literal('ephemeral'),
  text: z.string().meta({ description: 'What was recorded, with a link to the incident page; or why nothing was' }),
});

/** The fields of a `message_action` payload the shortcut reads (message-note.ts); Slack sends more. */
export const messageShortcutSchema = z
  .object({
    type: z.literal('message_action'),
    callback_id: z.string(),
    team: z.object({ id: z.string(), domain: z.string().optional() }).loose().nullable(),
    channel: z.object({ id: z.string(), name: z.string().optional() }).loose(),
    user: z.object({ id: z.string(), name: z.string().optional(), username: z.string().optional() }).loose(),
    message: z
      .object({ ts: z.string(), text: z.string().optional(), user: z.string().optional(), username: z.string().optional(), thread_ts: z.string().optional() })
      .loose(),
    response_url: z.string().optional(),
  })
  .loose();
