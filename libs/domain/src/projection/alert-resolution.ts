import type { EventOf } from '../events/envelope.js';
import { alertIdentity } from '../correlation/tracked-incident.js';
import { listServices } from './facts.js';
import type { FoldScope } from './fold-scope.js';
import type { IncidentState, TimePoint } from './state.js';

/*
 * EVENTS.md, "When an incident ends without a person": an incident no person has given a status (no
 * status.changed, no incident.declared) is resolved when every alert in it has resolved, at the time of the
 * last alert.resolved. Events are folded in event-time order, so the latest event of each alert decides it.
 */

// The firing alerts of a storm number thousands: kept through the fold scope, which tests membership in a
// Set and changes the run's own list in place, instead of a scan and a copy of the list per event.
export function applyAlertTriggered(state: IncidentState, event: EventOf<'alert.triggered'>, scope: FoldScope): IncidentState {
  const firingAlerts = scope.include(state.firingAlerts, alertIdentity(event)!) as string[];
  const alertServices = scope.include(state.alertServices, event.service) as string[];
  return { ...state, firingAlerts, alertServices, alertsResolvedAt: null };
}

export function applyAlertResolved(state: IncidentState, event: EventOf<'alert.resolved'>, point: TimePoint, scope: FoldScope): IncidentState {
  const firingAlerts = scope.exclude(state.firingAlerts, alertIdentity(event)!) as string[];
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
