import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { authorizeBearer } from './bearer-tokens.js';

/** The service's READ_TOKENS (readAccessEnv), provided by the modules of timeline and renderer. */
export const READ_TOKENS = Symbol('READ_TOKENS');

/**
 * The read APIs of timeline and renderer (incidents, events, drafts, summaries): a bearer token from
 * READ_TOKENS, or, when none is configured, a request from this machine naming it in `Host`.
 */
@Injectable()
export class ReadAccessGuard implements CanActivate {
  constructor(@Inject(READ_TOKENS) private readonly tokens: readonly string[]) {}

  canActivate(context: ExecutionContext): boolean {
    authorizeBearer(context.switchToHttp().getRequest<Request>(), this.tokens, 'READ_TOKENS');
    return true;
  }
}
