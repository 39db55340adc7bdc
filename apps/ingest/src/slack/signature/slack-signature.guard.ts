import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { unauthorized, unsupportedMediaType } from '@app/platform';
import { INGEST_CONFIG, type IngestConfig } from '../../config.js';
import { slackSignatureProblem } from './verify-slack-signature.js';

export type SlackRequest = Request & { rawBody?: Buffer; slackRequestTime?: Date };

const FORM = /^application\/x-www-form-urlencoded\b/i;

/**
 * Every Slack request is verified with SLACK_SIGNING_SECRET before Bolt sees it; Slack sends no bearer
 * token, so this replaces INGEST_TOKENS on the Slack paths. A refusal is a 401 and records nothing.
 * The verified request time is kept for the events (their time, and Slack's word for it).
 */
@Injectable()
export class SlackSignatureGuard implements CanActivate {
  constructor(@Inject(INGEST_CONFIG) private readonly config: IngestConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<SlackRequest>();
    const type = request.headers['content-type'] ?? '';
    if (!FORM.test(type)) {
      throw unsupportedMediaType(`expected application/x-www-form-urlencoded as Slack sends, got ${type || 'no Content-Type'}`);
    }
    const timestamp = request.get('x-slack-request-timestamp');
    const problem = slackSignatureProblem({ rawBody: request.rawBody, timestamp, signature: request.get('x-slack-signature') }, this.config.SLACK_SIGNING_SECRET, Date.now());
    if (problem) throw unauthorized(problem);
    request.slackRequestTime = new Date(Number(timestamp) * 1000);
    return true;
  }
}
