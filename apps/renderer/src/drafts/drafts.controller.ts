import { Controller, Get, Header, Param, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { incidentReference, invalidRequest, notFound, ReadAccessGuard } from '@app/platform';
import type { IncidentState } from '@app/domain';
import { RendererStore } from '../store/renderer-store.js';
import { utcToday } from '../rendering/utc-today.js';
import { RcaDrafts } from './rca-drafts.js';

/** `preparedOn` of GET rca.md; exported for the OpenAPI document (openapi.ts). */
export const preparedOnSchema = z.iso.date();
const MARKDOWN = 'text/markdown; charset=utf-8';
/** Versions are PostgreSQL integers; a larger number cannot exist, and must not reach the query. */
const MAX_VERSION = 2_147_483_647;

@Controller('v1/incidents/:id')
@UseGuards(ReadAccessGuard)
export class DraftsController {
  constructor(
    private readonly store: RendererStore,
    private readonly drafts: RcaDrafts,
  ) {}

  /**
   * The newest stored draft; with `preparedOn`, or while the incident is open, a draft rendered now. Drafts
   * are stored at resolution, so a reopened incident (an alert-only incident that resolved with its alerts,
   * then a person took it up) would otherwise keep answering with the draft of before what people recorded.
   */
  @Get('rca.md')
  @Header('Content-Type', MARKDOWN)
  async rca(@Param('id') idOrKey: string, @Query('preparedOn') preparedOn?: string): Promise<string> {
    if (preparedOn !== undefined && !preparedOnSchema.safeParse(preparedOn).success) {
      throw invalidRequest([{ path: 'preparedOn', message: 'expected a date YYYY-MM-DD' }]);
    }
    const state = await this.incident(idOrKey);
    if (preparedOn === undefined && !state.open) {
      const stored = await this.store.latestDraft(state.id);
      if (stored) return stored.markdown;
    }
    return this.drafts.rca(state, await this.store.previousIncident(state), preparedOn ?? utcToday()).markdown;
  }

  @Get('rca/versions')
  async versions(@Param('id') idOrKey: string) {
    const state = await this.incident(idOrKey);
    return { incidentId: state.id, versions: await this.store.listDrafts(state.id) };
  }

  @Get('rca/versions/:version.md')
  @Header('Content-Type', MARKDOWN)
  async version(@Param('id') idOrKey: string, @Param('version') version: string): Promise<string> {
    const state = await this.incident(idOrKey);
    const number = Number(version);
    const draft = Number.isInteger(number) && number > 0 && number <= MAX_VERSION ? await this.store.draft(state.id, number) : null;
    if (!draft) throw notFound(`incident ${state.id} has no draft version ${version}`);
    return draft.markdown;
  }

  @Get('summary')
  async summary(@Param('id') idOrKey: string) {
    return this.drafts.summary(await this.incident(idOrKey));
  }

  @Get('summary.md')
  @Header('Content-Type', MARKDOWN)
  async summaryMarkdown(@Param('id') idOrKey: string): Promise<string> {
    return this.drafts.summaryMarkdown(await this.incident(idOrKey));
  }

  private async incident(idOrKey: string): Promise<IncidentState> {
    const id = await this.store.resolveId(incidentReference(idOrKey));
    const state = id ? await this.store.state(id) : null;
    if (!state) throw notFound(`no incident with id or key ${idOrKey}`);
    return state;
  }
}
