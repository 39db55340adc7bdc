import type { EventOf } from '../events/envelope.js';
import { mostSevere, recordFirst, sourced } from './facts.js';
import type { FoldScope } from './fold-scope.js';
import { appendCapped } from './list-caps.js';
import type { IncidentState, TimePoint } from './state.js';

/* Handlers for the events that describe the response: alerts, pages, declaration, severity, status. */

export function applyAlertTriggered(state: IncidentState, event: EventOf<'alert.triggered'>, point: TimePoint, scope: FoldScope): IncidentState {
  const { alertName } = event.data;
  const recorded = { ...recordFirst(state, 'alert.triggered', point), firstAlertName: state.firstAlertName ?? sourced(alertName, point) };
  return state.alertNames.includes(alertName) ? recorded : appendCapped(recorded, 'alertNames', alertName, scope);
}

export function applyDeclared(state: IncidentState, event: EventOf<'incident.declared'>, point: TimePoint): IncidentState {
  const { title, team, severity } = event.data;
  // A re-declaration refines the description: the latest title and team win.
  return {
    ...state,
    title: title ? sourced(title, point) : state.title,
    team: team ? sourced(team, point) : state.team,
    severity: severity ? mostSevere(state.severity, sourced(severity, point)) : state.severity,
  };
}

export function applySeverityChanged(state: IncidentState, event: EventOf<'severity.changed'>, point: TimePoint): IncidentState {
  return { ...state, severity: mostSevere(state.severity, sourced(event.data.severity, point)) };
}

/**
 * The latest status wins. resolvedAt is the resolution that ended the current run of
 * statuses: a later non-resolved status reopens the incident (open again, resolvedAt null),
 * and a repeated `resolved` keeps the earlier resolution time.
 */
export function applyStatusChanged(state: IncidentState, event: EventOf<'status.changed'>, point: TimePoint): IncidentState {
  const { status } = event.data;
  const resolved = status === 'resolved';
  // Only a person's earlier resolution counts here, not one by the alerts.
  const alreadyResolved = state.statusChange !== null && state.status === 'resolved' && state.times.resolvedAt !== null;
  const resolvedAt = resolved ? (alreadyResolved ? state.times.resolvedAt : point) : null;
  return {
    ...recordFirst(state, `status:${status}`, point),
    status,
    statusChange: point,
    open: !resolved,
    times: { ...state.times, resolvedAt },
  };
}
