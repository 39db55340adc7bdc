import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { authorizeBearer } from '@app/platform';
import { INGEST_CONFIG, type IngestConfig } from '../config.js';

/** Bearer tokens (INGEST_TOKENS) on every write endpoint but the replay routes (AdminAuthGuard: ADMIN_TOKENS). */
@Injectable()
export class IngestAuthGuard implements CanActivate {
  constructor(@Inject(INGEST_CONFIG) private readonly config: IngestConfig) {}

  canActivate(context: ExecutionContext): boolean {
    authorizeBearer(context.switchToHttp().getRequest<Request>(), this.config.INGEST_TOKENS, 'INGEST_TOKENS');
    return true;
  }
}
