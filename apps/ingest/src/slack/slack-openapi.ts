import { interactionSchema, replySchema, slashCommandSchema } from './bolt/request-schemas.js';
import { jsonResponse, problemResponse, schemaRef, type OpenApiOperation, type OpenApiPaths } from '@app/platform';

const signed: Record<string, string[]>[] = [{ slackSignature: [] }];

const slackResponses = (ok: string) => ({
  '200': jsonResponse(ok, schemaRef('SlackReply')),
  '400': problemResponse('The interaction payload is not JSON'),
  '401': problemResponse('Missing, wrong or stale Slack signature: nothing recorded'),
  '404': problemResponse('Not this app\'s command or shortcut, or SLACK_SIGNING_SECRET is not set'),
  '413': problemResponse('Body over 1 MiB'),
  '415': problemResponse('Not application/x-www-form-urlencoded'),
});

const slackOperation = (operationId: string, summary: string, description: string, schema: string, ok: string): OpenApiOperation => ({
  operationId,
  summary,
  description,
  tags: ['slack'],
  security: signed,
  requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: schemaRef(schema) } } },
  responses: slackResponses(ok),
});

/** The Slack app's part of ingest's OpenAPI document (present when SLACK_SIGNING_SECRET is set). */
export const slackOpenApi = {
  tag: { name: 'slack', description: 'The Slack app (docs/slack.md), when SLACK_SIGNING_SECRET is set' },
  schemas: { SlackSlashCommand: slashCommandSchema, SlackInteraction: interactionSchema, SlackReply: replySchema },
  securitySchemes: {
    slackSignature: {
      type: 'apiKey',
      in: 'header',
      name: 'X-Slack-Signature',
      description: '`v0=` + hex HMAC-SHA256 of `v0:<X-Slack-Request-Timestamp>:<body>` with SLACK_SIGNING_SECRET; the timestamp at most 5 minutes from now',
    },
  },
  paths: {
    '/v1/slack/commands': {
      post: slackOperation(
        'postSlackCommand',
        'Slack slash command',
        'Records the event the command names and answers once Kafka has it; a malformed command records nothing and answers with its grammar.',
        'SlackSlashCommand',
        'The ephemeral reply Slack shows the person (also when nothing was recorded, saying why)',
      ),
    },
    '/v1/slack/interactivity': {
      post: slackOperation(
        'postSlackInteraction',
        'Slack interactivity: the message shortcut "Add to timeline"',
        'Records the message as note.added at its own time; answers once Kafka has it, then posts the outcome to the payload\'s response_url.',
        'SlackInteraction',
        'Acknowledged (empty body)',
      ),
    },
  } satisfies OpenApiPaths,
};
