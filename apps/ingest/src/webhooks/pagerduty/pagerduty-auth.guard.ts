import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { authorizeBearer, unauthorized } from '@app/platform';
import { INGEST_CONFIG, type IngestConfig } from '../../config.js';
import { requireJson } from '../../events/json-body.js';
import { verifyPagerDutySignature } from './verify-pagerduty-signature.js';

type RawBodyRequest = Request & { rawBody?: Buffer };

/**
 * With PAGERDUTY_WEBHOOK_SECRETS set, the signature is the authentication: PagerDuty cannot always
 * add a bearer token. Without secrets, the endpoint is guarded by bearer tokens like every other.
 */
@Injectable()
export class PagerDutyAuthGuard implements CanActivate {
  constructor(@Inject(INGEST_CONFIG) private readonly config: IngestConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<RawBodyRequest>();
    const secrets = this.config.PAGERDUTY_WEBHOOK_SECRETS;
    if (secrets.length === 0) {
      authorizeBearer(request, this.config.INGEST_TOKENS, 'INGEST_TOKENS');
      return true;
    }
    // The raw body exists only for JSON requests; a wrong type is a 415, not a misleading 401.
    requireJson(request);
    const header = request.get('X-PagerDuty-Signature');
    if (!header) throw unauthorized('missing X-PagerDuty-Signature header');
    if (!verifyPagerDutySignature(request.rawBody, header, secrets)) throw unauthorized('no X-PagerDuty-Signature matches PAGERDUTY_WEBHOOK_SECRETS');
    return true;
  }
}
