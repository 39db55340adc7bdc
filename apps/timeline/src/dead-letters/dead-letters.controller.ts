import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import { authorizeBearer, invalidRequest, notFound, ReadAccessGuard } from '@app/platform';
import { TIMELINE_CONFIG, type TimelineConfig } from '../config.js';
import { DeadLetterStore } from './dead-letter-store.js';

/** Query of GET /v1/dead-letters. */
export const deadLettersQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  pending: z.enum(['true', 'false']).default('false'),
});

/** Body of POST /v1/dead-letters/:id/replays: what the replay got back (ingest's answer). */
const replayBody = z.object({ status: z.number().int(), answer: z.unknown() });

@Controller('v1/dead-letters')
export class DeadLettersController {
  constructor(
    private readonly store: DeadLetterStore,
    @Inject(TIMELINE_CONFIG) private readonly config: TimelineConfig,
  ) {}

  /** What was kept aside, newest first, with the reason (INTERFACES.md); a read API (READ_TOKENS). */
  @Get()
  @UseGuards(ReadAccessGuard)
  async list(@Query() query: Record<string, unknown>) {
    const parsed = deadLettersQuery.safeParse(query);
    if (!parsed.success) throw invalidRequest(parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })));
    return { items: await this.store.list(parsed.data.limit, parsed.data.pending === 'true') };
  }

  /** One dead letter with its original body, for `dead-letters replay`. */
  @Get(':id')
  @UseGuards(ReadAccessGuard)
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
}
