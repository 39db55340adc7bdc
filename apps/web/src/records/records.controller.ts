import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { UNKNOWN_SERVICE } from '@app/domain';
import { incidentReference } from '@app/platform';
import { CsrfTokens } from '../access/csrf.js';
import { IncidentPages } from '../incidents/incident-pages.js';
import { sendHtml } from '../pages/page-context.js';
import { IngestApi } from '../upstream/ingest-api.js';
import { TimelineApi } from '../upstream/timeline-api.js';
import { UpstreamError } from '../upstream/upstream.js';
import { formToEvent, type FieldError, type FormValues } from './form-to-event.js';
import { EVENT_ID_PATTERN, newEventId } from './form-view.js';
import { formFor } from './record-forms.js';

const asValues = (body: unknown): FormValues =>
  Object.fromEntries(Object.entries((body ?? {}) as Record<string, unknown>).map(([key, value]) => [key, typeof value === 'string' ? value : Array.isArray(value) ? String(value[0] ?? '') : '']));

/**
 * The forms of the incident page: each appends one event through ingest, with the signed-in person
 * as actor. Success redirects (POST/redirect/GET); a problem shows the page again, values kept.
 */
@Controller('incidents')
export class RecordsController {
  constructor(
    private readonly timeline: TimelineApi,
    private readonly ingest: IngestApi,
    private readonly csrf: CsrfTokens,
    private readonly pages: IncidentPages,
  ) {}

  /** The address of a form that came back with errors, reloaded or bookmarked: the incident's page. */
  @Get(':ref/record/:type')
  toPage(@Param('ref') ref: string, @Res() response: Response): void {
    incidentReference(ref);
    response.redirect(303, `/incidents/${encodeURIComponent(ref)}#record`);
  }

  @Post(':ref/record/:type')
  async record(@Param('ref') ref: string, @Param('type') type: string, @Body() body: unknown, @Req() request: Request, @Res() response: Response): Promise<void> {
    incidentReference(ref);
    const form = formFor(type);
    const values = asValues(body);
    const person = response.locals.person!.name;
    const again = async (status: number, errors: FieldError[]) =>
      sendHtml(response, status, await this.pages.page(ref, response, { submitted: { type, values, errors } }));
    if (!form) return again(404, [{ field: '', message: `There is no form for ${type}.` }]);
    const forged = this.csrf.problem(request, person, values._csrf);
    // Shown on the page with the values kept (a person whose page outlived a restart); a forgery of a
    // page that does not exist just gets the refusal.
    if (forged) return again(403, [{ field: '', message: forged }]).catch(() => sendHtml(response, 403, `<!doctype html><title>Refused</title><p>${forged}</p>`));
    const state = await this.timeline.incident(ref);
    // The id given to the form when it was shown (a re-sent form records nothing new); a new one otherwise.
    const eventId = EVENT_ID_PATTERN.test(values._id ?? '') ? values._id! : newEventId();
    const result = formToEvent(form, values, { incidentId: state.id, service: state.primaryService ?? UNKNOWN_SERVICE, actor: person, eventId, now: new Date() });
    if (!result.ok) return again(400, result.errors);
    try {
      await this.ingest.append(result.event);
    } catch (error) {
      if (!(error instanceof UpstreamError)) throw error;
      const fieldErrors = (error.errors ?? []).map((issue) => ({ field: issue.path.startsWith('data.') ? issue.path.slice(5) : '', message: issue.message }));
      return again(error.type === 'invalid-request' ? 400 : 503, fieldErrors.length > 0 ? fieldErrors : [{ field: '', message: `${error.detail}. Nothing was recorded; send the form again in a moment.` }]);
    }
    const anchor = type === 'event.retracted' ? `#ev-${encodeURIComponent(values.eventId ?? '')}` : '#record';
    response.redirect(303, `/incidents/${encodeURIComponent(state.id)}?recorded=${encodeURIComponent(type)}${anchor}`);
  }
}
