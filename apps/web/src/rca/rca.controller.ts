import { createHash } from 'node:crypto';
import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { incidentReference } from '@app/platform';
import { CsrfTokens } from '../access/csrf.js';
import { LiveUpdates } from '../live/live-updates.js';
import { incidentTitle } from '../incidents/incident-view.js';
import { pageContext, queryOf, sendHtml } from '../pages/page-context.js';
import { Views } from '../pages/views.js';
import { RendererApi } from '../upstream/renderer-api.js';
import { TimelineApi } from '../upstream/timeline-api.js';
import { renderMarkdown } from './markdown.js';
import { changedLines } from './version-changes.js';

const draftFingerprint = (markdown: string, versions: number) => createHash('sha1').update(`${versions}\n${markdown}`).digest('base64url');

/** Versions whose changes are shown; older ones are listed without them. */
const VERSIONS_WITH_CHANGES = 20;

@Controller('incidents/:ref')
export class RcaController {
  constructor(
    private readonly timeline: TimelineApi,
    private readonly renderer: RendererApi,
    private readonly views: Views,
    private readonly csrf: CsrfTokens,
    private readonly liveUpdates: LiveUpdates,
  ) {}

  @Get('rca')
  async rca(@Param('ref') ref: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    incidentReference(ref);
    const state = await this.timeline.incident(ref);
    const [latest, versions] = await Promise.all([this.renderer.rcaMarkdown(state.id), this.renderer.versions(state.id)]);
    const query = queryOf(request);
    const asked = typeof query.version === 'string' ? Number.parseInt(query.version, 10) : undefined;
    const shown = asked !== undefined && versions.some((v) => v.version === asked) ? asked : undefined;
    const markdown = shown === undefined ? latest : await this.renderer.version(state.id, shown);
    const rendered = renderMarkdown(markdown);

    const newestFirst = [...versions].sort((a, b) => b.version - a.version);
    const withChanges = newestFirst.slice(0, VERSIONS_WITH_CHANGES + 1);
    const texts = await Promise.all(withChanges.map((v) => this.renderer.version(state.id, v.version)));
    const base = `/incidents/${encodeURIComponent(state.id)}`;
    const versionRows = newestFirst.map((version, index) => {
      const previous = index < VERSIONS_WITH_CHANGES && index + 1 < texts.length ? texts[index + 1] : undefined;
      const changes = previous !== undefined && texts[index] !== undefined ? changedLines(previous, texts[index]!) : undefined;
      return {
        ...version,
        href: `${base}/rca?version=${version.version}`,
        current: shown === version.version,
        changes,
        changeCount: changes?.length ?? 0,
        first: index === newestFirst.length - 1,
        previousVersion: newestFirst[index + 1]?.version,
      };
    });
    const live = `${base}/rca/live?since=${encodeURIComponent(draftFingerprint(latest, versions.length))}`;
    sendHtml(
      response,
      200,
      this.views.render(
        'rca',
        pageContext(response, this.csrf, `RCA: ${incidentTitle(state)}`, {
          incident: { id: state.id, title: incidentTitle(state), base, open: state.open },
          rca: rendered,
          mermaid: rendered.hasMermaid,
          shownVersion: shown,
          versions: versionRows,
          live,
          navIncidents: true,
        }),
      ),
    );
  }

  /**
   * Server-sent events: `changed` when the draft itself changes. The renderer follows the timeline a
   * second or two behind, so the page listens to the draft, not to the incident.
   */
  @Get('rca/live')
  live(@Param('ref') ref: string, @Req() request: Request, @Res() response: Response): void {
    incidentReference(ref);
    this.liveUpdates.stream(request, response, async () => {
      const [markdown, versions] = await Promise.all([this.renderer.rcaMarkdown(ref), this.renderer.versions(ref)]);
      return draftFingerprint(markdown, versions.length);
    });
  }

  /** The draft's markdown as a file, named as the renderer names it. */
  @Get('rca.md')
  async download(@Param('ref') ref: string, @Res() response: Response): Promise<void> {
    incidentReference(ref);
    const state = await this.timeline.incident(ref);
    const [markdown, versions] = await Promise.all([this.renderer.rcaMarkdown(state.id), this.renderer.versions(state.id)]);
    const newest = versions.reduce<(typeof versions)[number] | undefined>((best, v) => (!best || v.version > best.version ? v : best), undefined);
    const fileName = (newest?.fileName ?? `${state.id}.md`).replace(/[^A-Za-z0-9._-]/g, '_');
    response.status(200).type('text/markdown; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
    response.setHeader('Cache-Control', 'no-store');
    response.send(markdown);
  }
}
