import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import type { IncidentState } from '@app/domain';
import { incidentReference } from '@app/platform';
import { CsrfTokens } from '../access/csrf.js';
import { pageContext } from '../pages/page-context.js';
import { Views } from '../pages/views.js';
import type { SubmittedForm } from '../records/form-view.js';
import { TimelineApi } from '../upstream/timeline-api.js';
import { incidentView } from './incident-view.js';

/** How many unattached events are looked through for the incident's services. */
const UNATTACHED_SCAN = 500;

/** Changes whenever an event is folded into the incident. */
export const stateFingerprint = (state: IncidentState) => `${state.id}:${state.eventCount}:${state.lastEventAt}:${state.status}`;

/** Builds /incidents/:ref, for its GET and for forms shown again after a problem. */
@Injectable()
export class IncidentPages {
  constructor(
    private readonly timeline: TimelineApi,
    private readonly views: Views,
    private readonly csrf: CsrfTokens,
  ) {}

  /** The incident page; with `submitted`, the form that failed is shown again with its values and errors. */
  async page(ref: string, response: Response, options: { from?: number; recorded?: string; submitted?: SubmittedForm }): Promise<string> {
    incidentReference(ref);
    const state = await this.timeline.incident(ref);
    const [events, unattached] = await Promise.all([
      this.timeline.events(state.id),
      this.timeline.unattached(UNATTACHED_SCAN).catch(() => []),
    ]);
    const live = `/incidents/${encodeURIComponent(state.id)}/live?since=${encodeURIComponent(stateFingerprint(state))}`;
    const view = incidentView({ state, events, unattached, from: options.from, submitted: options.submitted, recorded: options.recorded, now: new Date() });
    return this.views.render('incident', pageContext(response, this.csrf, view.incident.title, { ...view, live, navIncidents: true }));
  }

}
