import { createHash } from 'node:crypto';
import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { incidentReference } from '@app/platform';
import { CsrfTokens } from '../access/csrf.js';
import { LiveUpdates } from '../live/live-updates.js';
import { incidentTitle } from '../incidents/incident-view.js';
import { pageContext, queryOf, sendHtml } from '../pages/page-context.js';
import { Views } from '../pages/views.js';
import { RendererApi, type DraftVersion } from '../upstream/renderer-api.js';
import { UpstreamError } from '../upstream/upstream.js';
import { TimelineApi } from '../upstream/timeline-api.js';
import { renderMarkdown } from './markdown.js';
import { changedLines } from './version-changes.js';

const draftFingerprint = (markdown: string, versions: number) => createHash('sha1').update(`${versions}\n${markdown}`).digest('base64url');
/** The live stream's fingerprint while the renderer does not know the incident (no sha1 looks like it). */
const NOT_YET_DRAFTED = 'not-yet-drafted';

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
    const draft = await this.draftOf(state.id);
    // The draft the live stream brings has a diagram: the script that draws it is loaded now.
    if (draft === null) return this.sendPage(response, state, NOT_YET_DRAFTED, { notYetDrafted: true, mermaid: true, versions: [] });
    const { markdown: latest, versions } = draft;
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
    this.sendPage(response, state, draftFingerprint(latest, versions.length), { rca: rendered, mermaid: rendered.hasMermaid, shownVersion: shown, versions: versionRows });
  }

  /**
   * Server-sent events: `changed` when the draft itself changes. The renderer follows the timeline a
   * second or two behind, so the page listens to the draft, not to the incident.
   */
  @Get('rca/live')
  live(@Param('ref') ref: string, @Req() request: Request, @Res() response: Response): void {
    incidentReference(ref);
    this.liveUpdates.stream(request, response, async () => {
      const draft = await this.draftOf(ref);
      return draft === null ? NOT_YET_DRAFTED : draftFingerprint(draft.markdown, draft.versions.length);
    });
  }

  /**
   * The newest draft and its versions; null while the renderer has not received the incident yet. It follows
   * the timeline by a second or two, so an incident that opened a moment ago is known to one and not the other.
   */
  private async draftOf(ref: string): Promise<{ markdown: string; versions: DraftVersion[] } | null> {
    try {
      const [markdown, versions] = await Promise.all([this.renderer.rcaMarkdown(ref), this.renderer.versions(ref)]);
      return { markdown, versions };
    } catch (error) {
      if (error instanceof UpstreamError && error.service === 'renderer' && error.status === 404) return null;
      throw error;
    }
  }

  /**
   * The RCA page, listening for drafts that differ from `fingerprint`. For an incident the renderer has not
   * received yet, it says so and its live stream brings the draft.
   */
  private sendPage(response: Response, state: Parameters<typeof incidentTitle>[0], fingerprint: string, fields: Record<string, unknown>): void {
    const base = `/incidents/${encodeURIComponent(state.id)}`;
    sendHtml(
      response,
      200,
      this.views.render(
        'rca',
        pageContext(response, this.csrf, `RCA: ${incidentTitle(state)}`, {
          incident: { id: state.id, title: incidentTitle(state), base, open: state.open },
          live: `${base}/rca/live?since=${encodeURIComponent(fingerprint)}`,
          navIncidents: true,
          ...fields,
        }),
      ),
    );
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
