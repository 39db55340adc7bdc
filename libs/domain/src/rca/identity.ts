import type { IncidentState } from '../projection/state.js';
import { NOT_RECORDED, slugify, titleCase, utcDay } from './text.js';

/** What the incident is called: root cause summary, else declared title, else first alert name. */
export function incidentSubject(state: IncidentState): string {
  return state.rootCause?.summary ?? state.title?.value ?? state.firstAlertName?.value ?? 'Incident';
}

/** "Cache Invalidation Bug in order-service" (unescaped). */
export function incidentTitle(state: IncidentState): string {
  const subject = titleCase(incidentSubject(state));
  return state.primaryService ? `${subject} in ${state.primaryService}` : subject;
}

/** "cache-invalidation-bug-order-service": subject and primary service, as in the reference file name. */
export function incidentSlug(state: IncidentState): string {
  return slugify([incidentSubject(state), state.primaryService ?? ''].join(' '));
}

/** UTC day of the first event. */
export function incidentDate(state: IncidentState): string {
  return state.firstEventAt ? utcDay(state.firstEventAt) : NOT_RECORDED;
}
