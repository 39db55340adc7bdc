import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { invalidRequest, ReadAccessGuard } from '@app/platform';
import { EventLookup } from './event-lookup.js';

/** Body of POST /v1/events/lookup: the ids a sender wants proof of (up to 1000, like a batch it sends). */
export const lookupBody = z.strictObject({
  ids: z.array(z.string().min(1).max(256)).min(1).max(1000),
});

@Controller('v1/events/lookup')
@UseGuards(ReadAccessGuard)
export class EventLookupController {
  constructor(private readonly lookup: EventLookup) {}

  /** A read, though a POST: a thousand ids do not fit in a URL. */
  @Post()
  @HttpCode(200)
  async find(@Body() body: unknown) {
    const parsed = lookupBody.safeParse(body);
    if (!parsed.success) {
      throw invalidRequest(parsed.error.issues.map((issue) => ({ path: issue.path.join('.') || String((issue as { keys?: string[] }).keys ?? ''), message: issue.message })));
    }
    return { results: await this.lookup.lookup(parsed.data.ids) };
  }
}
