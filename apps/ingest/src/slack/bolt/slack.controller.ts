import { Body, Controller, HttpCode, Inject, Post, Req, UseGuards } from '@nestjs/common';
import { invalidRequest, notFound } from '@app/platform';
import { INGEST_CONFIG, type IngestConfig } from '../../config.js';
import { parsePayload } from '../../webhooks/shared/parse-payload.js';
import { SlackSignatureGuard, type SlackRequest } from '../signature/slack-signature.guard.js';
import { messageShortcutSchema, slashCommandSchema } from './request-schemas.js';
import { SlackApp } from './slack-app.js';

/** Slack's two request URLs (INTERFACES.md); Slack sends no bearer token, the signing secret is the check. */
@Controller('v1/slack')
@UseGuards(SlackSignatureGuard)
export class SlackController {
  constructor(
    private readonly slack: SlackApp,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
  ) {}

  @Post('commands')
  @HttpCode(200)
  async commands(@Req() request: SlackRequest, @Body() body: unknown) {
    const command = parsePayload(slashCommandSchema, body);
    if ('errors' in command) throw invalidRequest(command.errors);
    const answer = await this.slack.dispatch(command.value, request.slackRequestTime!);
    if (!answer.acked) throw notFound(`this app answers the slash command ${this.config.SLACK_COMMAND} (SLACK_COMMAND), not ${command.value.command}`);
    return answer.response;
  }

  @Post('interactivity')
  @HttpCode(200)
  async interactivity(@Req() request: SlackRequest, @Body() body: { payload?: unknown }) {
    const payload = interactionPayload(body?.payload);
    if (payload.type === 'message_action') {
      const shortcut = parsePayload(messageShortcutSchema, payload);
      if ('errors' in shortcut) throw invalidRequest(shortcut.errors.map((error) => ({ ...error, path: `payload.${error.path}` })));
    }
    const answer = await this.slack.dispatch(payload, request.slackRequestTime!);
    if (!answer.acked) throw notFound(`no handler for the ${String(payload.type)} with callback_id ${String(payload.callback_id)}; this app has the message shortcut add_to_timeline`);
    return answer.response;
  }
}

/** Slack posts interactions as one form field, `payload`, holding JSON. */
function interactionPayload(value: unknown): Record<string, unknown> {
  try {
    const payload: unknown = typeof value === 'string' ? JSON.parse(value) : undefined;
    if (payload && typeof payload === 'object' && !Array.isArray(payload)) return payload as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw invalidRequest([{ path: 'payload', message: 'expected the form field payload to hold the JSON object of a Slack interaction' }]);
}
