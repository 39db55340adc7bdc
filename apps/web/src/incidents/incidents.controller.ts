import { createHash } from 'node:crypto';
import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { IncidentState } from '@app/domain';
import { incidentReference } from '@app/platform';
import { CsrfTokens } from '../access/csrf.js';
import { LiveUpdates } from '../live/live-updates.js';
import { pageContext, queryOf, sendHtml } from '../pages/page-context.js';
import { Views } from '../pages/views.js';
import { TimelineApi } from '../upstream/timeline-api.js';
import { UpstreamError } from '../upstream/upstream.js';
import { IncidentPages, stateFingerprint } from './incident-pages.js';
import { listView, parseListFilter, SCAN_LIMIT, type ListFilter } from './incident-list.js';



@Controller('incidents')
export class IncidentsController {
  constructor(
    private readonly timeline: TimelineApi,
    private readonly views: Views,
    private readonly csrf: CsrfTokens,
    private readonly live: LiveUpdates,
    private readonly pages: IncidentPages,
  ) {}

  @Get()
  async list(@Req() request: Request, @Res() response: Response): Promise<void> {
    const filter = parseListFilter(queryOf(request));
    const [incidents, fingerprint] = await Promise.all([this.candidates(filter), this.listFingerprint()]);
    const list = listView(incidents, filter);
    const live = `/incidents/live?since=${encodeURIComponent(fingerprint)}`;
    sendHtml(response, 200, this.views.render('incidents', pageContext(response, this.csrf, 'Incidents', { list, live, navIncidents: true })));
  }

  /** Server-sent events: `changed` whenever the newest incidents change. */
  @Get('live')
  listLive(@Req() request: Request, @Res() response: Response): void {
    this.live.stream(request, response, () => this.listFingerprint());
  }

  @Get(':ref')
  async show(@Param('ref') ref: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    const query = queryOf(request);
    const from = typeof query.from === 'string' ? Number.parseInt(query.from, 10) : undefined;
    const recorded = typeof query.recorded === 'string' ? query.recorded : undefined;
    sendHtml(response, 200, await this.pages.page(ref, response, { from, recorded }));
  }

  /** Server-sent events: `changed` whenever the incident's state changes (a new event was folded in). */
  @Get(':ref/live')
  showLive(@Param('ref') ref: string, @Req() request: Request, @Res() response: Response): void {
    incidentReference(ref);
    this.live.stream(request, response, async () => stateFingerprint(await this.timeline.incident(ref)));
  }

  private async listFingerprint(): Promise<string> {
    const page = await this.timeline.incidents({ limit: 50 });
    return createHash('sha1').update(page.items.map(stateFingerprint).join('|')).digest('base64url');
  }

  private async candidates(filter: ListFilter): Promise<IncidentState[]> {
    if (filter.ids) {
      const found = await Promise.all(filter.ids.map((id) => this.timeline.incident(id).catch((error: unknown) => (error instanceof UpstreamError && error.type === 'not-found' ? null : Promise.reject(error)))));
      return [...new Map(found.filter((state): state is IncidentState => !!state).map((state) => [state.id, state])).values()];
    }
    const statuses = filter.status ? [filter.status] : (['open', 'resolved'] as const);
    const pages = await Promise.all(statuses.map((status) => this.timeline.incidents({ status, service: filter.service, limit: SCAN_LIMIT })));
    return pages.flatMap((page) => page.items);
  }
}
