import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { authorizeBearer } from '@app/platform';
import { INGEST_CONFIG, type IngestConfig } from '../config.js';

/**
 * The replay routes (POST /v1/webhooks/replay/<tool>, POST /v1/events/replay): an operator's ADMIN_TOKENS
 * token, never a sender's INGEST_TOKENS one. A replay maps a stored body as its tool, past the tool's
 * signature and with the ids reserved for the tools; only an operator may ask for that.
 */
@Injectable()
export class AdminAuthGuard implements CanActivate {
  constructor(@Inject(INGEST_CONFIG) private readonly config: IngestConfig) {}

  canActivate(context: ExecutionContext): boolean {
    authorizeBearer(context.switchToHttp().getRequest<Request>(), this.config.ADMIN_TOKENS, 'ADMIN_TOKENS');
    return true;
  }
}
