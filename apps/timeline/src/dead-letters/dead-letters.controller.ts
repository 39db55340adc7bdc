import { Body, Controller, Get, HttpCode, Inject, Injectable, Param, Post, Query, Req, UseGuards, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import { authorizeBearer, invalidRequest, notFound, READ_TOKENS } from '@app/platform';
import { TIMELINE_CONFIG, type TimelineConfig } from '../config.js';
import { DeadLetterStore } from './dead-letter-store.js';
import { RendererLetterReplay } from './renderer-letter-replay.js';

/** Query of GET /v1/dead-letters. */
export const deadLettersQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  pending: z.enum(['true', 'false']).default('false'),
});

/** Body of POST /v1/dead-letters/:id/replays: what the replay got back (ingest's answer, or the republish's). */
const replayBody = z.object({ status: z.number().int(), answer: z.unknown() });

/**
 * The dead letters are read with a READ_TOKENS token, or with an operator's ADMIN_TOKENS one: ingest reads
 * the letter an operator replays with the operator's token, to replay only what was stored.
 */
@Injectable()
export class DeadLetterReadGuard implements CanActivate {
  constructor(
    @Inject(READ_TOKENS) private readonly readTokens: readonly string[],
    @Inject(TIMELINE_CONFIG) private readonly config: TimelineConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    // Only configured operators' tokens: without ADMIN_TOKENS, READ_TOKENS (or their absence) alone decide.
    if (this.config.ADMIN_TOKENS.length > 0) {
      try {
        authorizeBearer(request, this.config.ADMIN_TOKENS, 'ADMIN_TOKENS');
        return true;
      } catch {
        // Not an operator's token: a reader's, perhaps.
      }
    }
    authorizeBearer(request, this.readTokens, 'READ_TOKENS');
    return true;
  }
}

@Controller('v1/dead-letters')
export class DeadLettersController {
  constructor(
    private readonly store: DeadLetterStore,
    private readonly rendererLetters: RendererLetterReplay,
    @Inject(TIMELINE_CONFIG) private readonly config: TimelineConfig,
  ) {}

  /** What was kept aside, newest first, with the reason (INTERFACES.md); a read API (READ_TOKENS). */
  @Get()
  @UseGuards(DeadLetterReadGuard)
  async list(@Query() query: Record<string, unknown>) {
    const parsed = deadLettersQuery.safeParse(query);
    if (!parsed.success) throw invalidRequest(parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })));
    return { items: await this.store.list(parsed.data.limit, parsed.data.pending === 'true') };
  }

  /** One dead letter with its original body and headers, for `dead-letters replay` and ingest's replay routes. */
  @Get(':id')
  @UseGuards(DeadLetterReadGuard)
  async get(@Param('id') id: string) {
    const letter = await this.store.get(id);
    if (!letter) throw notFound(`no dead letter ${id}`);
    return letter;
  }

  /** Records a replay's outcome; a write, so it takes an admin token like /v1/admin. */
  @Post(':id/replays')
  @HttpCode(200)
  async recordReplay(@Req() request: Request, @Param('id') id: string, @Body() body: unknown) {
    authorizeBearer(request, this.config.ADMIN_TOKENS, 'ADMIN_TOKENS');
    const parsed = replayBody.safeParse(body);
    if (!parsed.success) throw invalidRequest(parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })));
    if (!(await this.store.recordReplay(id, parsed.data))) throw notFound(`no dead letter ${id}`);
    return this.store.get(id);
  }

  /**
   * Replays a renderer dead letter (incident-timeline.dlq.v1): its stored bytes go back onto
   * incident-timeline.v1 (`dead-letters replay` calls it, then records the outcome). An operator's write.
   */
  @Post(':id/republish')
  @HttpCode(202)
  async republish(@Req() request: Request, @Param('id') id: string) {
    authorizeBearer(request, this.config.ADMIN_TOKENS, 'ADMIN_TOKENS');
    const letter = await this.store.message(id);
    if (!letter) throw notFound(`no dead letter ${id}`);
    return { republished: await this.rendererLetters.republish(letter) };
  }
}
