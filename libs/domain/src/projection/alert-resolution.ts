import type { EventOf } from '../events/envelope.js';
import { alertIdentity } from '../correlation/tracked-incident.js';
import { listServices } from './facts.js';
import type { IncidentState, TimePoint } from './state.js';

/*
 * EVENTS.md, "When an incident ends without a person": an incident no person has given a status (no
 * status.changed, no incident.declared) is resolved when every alert in it has resolved, at the time of the
 * last alert.resolved. Events are folded in event-time order, so the latest event of each alert decides it.
 */

export function applyAlertTriggered(state: IncidentState, event: EventOf<'alert.triggered'>): IncidentState {
  const alert = alertIdentity(event)!;
  const firingAlerts = state.firingAlerts.includes(alert) ? state.firingAlerts : [...state.firingAlerts, alert];
  const alertServices = state.alertServices.includes(event.service) ? state.alertServices : [...state.alertServices, event.service];
  return { ...state, firingAlerts, alertServices, alertsResolvedAt: null };
}

export function applyAlertResolved(state: IncidentState, event: EventOf<'alert.resolved'>, point: TimePoint): IncidentState {
  const alert = alertIdentity(event)!;
  const firingAlerts = state.firingAlerts.filter((firing) => firing !== alert);
  return { ...state, firingAlerts, alertsResolvedAt: firingAlerts.length === 0 ? point : null };
}

/** Status, openness and resolution as people or, without people, the alerts decide them. */
export function withResolution(state: IncidentState): IncidentState {
  // Services whose alerts joined (a service group's dependants) are affected services too.
  const services = [...new Set([...listServices(state.primaryService, state.impactedServices), ...state.alertServices])];
  const byPerson = state.statusChange !== null || (state.eventCounts['incident.declared'] ?? 0) > 0;
  if (byPerson && state.statusChange !== null) return { ...state, services, resolvedBy: state.status === 'resolved' ? 'status' : null };
  const resolvedAt = !byPerson && state.firingAlerts.length === 0 ? state.alertsResolvedAt : null;
  return {
    ...state,
    services,
    status: resolvedAt ? 'resolved' : 'triggered',
    open: resolvedAt === null,
    times: { ...state.times, resolvedAt },
    resolvedBy: resolvedAt ? 'alerts' : null,
  };
}
