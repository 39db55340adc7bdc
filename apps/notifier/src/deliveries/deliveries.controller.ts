import { Body, Controller, Get, HttpCode, Inject, Post, Query, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import { authorizeBearer, invalidRequest, ReadAccessGuard } from '@app/platform';
import { NOTIFIER_CONFIG, type NotifierConfig } from '../config.js';
import { DELIVERY_STATUSES, DeliveryQueue } from './delivery-queue.js';
import { DeliverySender } from './delivery-sender.js';

/** Query of GET /v1/deliveries. */
export const deliveriesQuery = z.strictObject({
  status: z.enum(DELIVERY_STATUSES).optional(),
  subscription: z.string().min(1).optional(),
  incident: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(1000),
});

/** Body of POST /v1/deliveries/redeliveries. */
export const redeliveriesBody = z.strictObject({ ids: z.array(z.string().min(1)).min(1).max(1000) });

const issues = (error: z.ZodError) => invalidRequest(error.issues.map((issue) => ({ path: issue.path.join('.') || String((issue as { keys?: string[] }).keys ?? ''), message: issue.message })));

@Controller('v1/deliveries')
export class DeliveriesController {
  constructor(
    private readonly queue: DeliveryQueue,
    private readonly sender: DeliverySender,
    @Inject(NOTIFIER_CONFIG) private readonly config: NotifierConfig,
  ) {}

  /** The delivery log, oldest first (queue order): a read API (READ_TOKENS). */
  @Get()
  @UseGuards(ReadAccessGuard)
  async list(@Query() query: Record<string, unknown>) {
    const parsed = deliveriesQuery.safeParse(query);
    if (!parsed.success) throw issues(parsed.error);
    return { items: await this.queue.list(parsed.data) };
  }

  /** Sends chosen deliveries again with the same webhook-id: an operator's (ADMIN_TOKENS). */
  @Post('redeliveries')
  @HttpCode(200)
  async redeliver(@Req() request: Request, @Body() body: unknown) {
    authorizeBearer(request, this.config.ADMIN_TOKENS, 'ADMIN_TOKENS');
    const parsed = redeliveriesBody.safeParse(body);
    if (!parsed.success) throw issues(parsed.error);
    const results = await this.queue.redeliver(parsed.data.ids);
    this.sender.wake();
    return { results };
  }
}
