import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { incidentReference, invalidRequest, notFound, ReadAccessGuard } from '@app/platform';
import { SERVICE_NAME_PATTERN } from '@app/domain';
import { decodeCursor, decodeEventCursor, IncidentQueries } from './incident-queries.js';

/** Query of GET /v1/incidents; exported for the OpenAPI document (openapi.ts). */
export const listQuery = z.strictObject({
  status: z.enum(['open', 'resolved']).optional(),
  service: z.string().regex(SERVICE_NAME_PATTERN, 'must be a service name (^[a-z0-9][a-z0-9._-]{0,127}$)').optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(1024).optional(),
});

/** Query of GET /v1/incidents/:id/events: pages of up to 5000 events, 1000 by default. */
export const eventsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
  cursor: z.string().max(1024).optional(),
});

/** Query of GET /v1/unattached-events. */
export const unattachedQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(100) });

function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const parsed = schema.safeParse(query);
  if (!parsed.success) {
    throw invalidRequest(parsed.error.issues.map((issue) => ({ path: issue.path.join('.') || String((issue as { keys?: string[] }).keys ?? ''), message: issue.message })));
  }
  return parsed.data;
}

@Controller('v1')
@UseGuards(ReadAccessGuard)
export class IncidentsController {
  constructor(private readonly queries: IncidentQueries) {}

  @Get('incidents')
  async list(@Query() query: Record<string, unknown>) {
    const { cursor, ...filter } = parseQuery(listQuery, query);
    const decoded = cursor === undefined ? undefined : decodeCursor(cursor);
    if (decoded === null) throw invalidRequest([{ path: 'cursor', message: 'not a cursor returned by this API' }]);
    return this.queries.list({ ...filter, cursor: decoded });
  }

  /**
   * One incident's state. An incident merged into another answers with the target's state, the same body
   * with `mergedInto` naming the target (INTERFACES.md, December additions), so old links keep working.
   */
  @Get('incidents/:id')
  async get(@Param('id') idOrKey: string) {
    const { id, merged } = await this.resolve(idOrKey);
    const state = await this.queries.state(id);
    if (!state) throw notFound(`no incident ${idOrKey}`);
    return merged ? { ...state, mergedInto: id } : state;
  }

  @Get('incidents/:id/events')
  async events(@Param('id') idOrKey: string, @Query() query: Record<string, unknown>) {
    const { limit, cursor } = parseQuery(eventsQuery, query);
    const after = cursor === undefined ? undefined : decodeEventCursor(cursor);
    if (after === null) throw invalidRequest([{ path: 'cursor', message: 'not a cursor returned by this API' }]);
    const { id, merged } = await this.resolve(idOrKey);
    return { incidentId: id, ...(merged ? { mergedInto: id } : {}), ...(await this.queries.events(id, { limit, after })) };
  }

  @Get('unattached-events')
  async unattached(@Query() query: Record<string, unknown>) {
    const { limit } = parseQuery(unattachedQuery, query);
    return this.queries.unattached(limit);
  }

  private async resolve(idOrKey: string): Promise<{ id: string; merged: boolean }> {
    const resolved = await this.queries.resolve(incidentReference(idOrKey));
    if (!resolved) throw notFound(`no incident with id or key ${idOrKey}`);
    return resolved;
  }
}
