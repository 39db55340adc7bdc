import type { EventOf } from '../events/envelope.js';
import { listServices, recordFirst, sourced } from './facts.js';
import type { FoldScope } from './fold-scope.js';
import { appendCapped } from './list-caps.js';
import type { CustomerImpact, IncidentState, TimePoint } from './state.js';

/* Handlers for what the responders found out and wrote down. Lists keep event-time order. */

export function applyRootCause(state: IncidentState, event: EventOf<'root_cause.identified'>, point: TimePoint): IncidentState {
  const { summary, category, contributingFactors = [] } = event.data;
  // A later finding supersedes an earlier hypothesis.
  return { ...recordFirst(state, 'root_cause.identified', point), rootCause: { summary, category, contributingFactors, ...point } };
}

export function applyServiceImpacted(state: IncidentState, event: EventOf<'service.impacted'>, point: TimePoint, scope: FoldScope): IncidentState {
  const { service } = event.data;
  if (state.impactedServices.some((entry) => entry.service === service)) return state;
  const next = appendCapped(state, 'impactedServices', { service, ...point }, scope);
  return { ...next, services: listServices(next.primaryService, next.impactedServices) };
}

/** The latest measurement of a metric replaces the earlier one, keeping the metric's first-listed position. */
export function applyImpactMeasured(state: IncidentState, event: EventOf<'impact.measured'>, point: TimePoint, scope: FoldScope): IncidentState {
  const { metric, unit, peak, baseline } = event.data;
  const figure = { metric, unit, peak, baseline: baseline ?? null, ...point };
  const known = state.impact.some((entry) => entry.metric === metric);
  if (!known) return appendCapped(state, 'impact', figure, scope);
  return { ...state, impact: state.impact.map((entry) => (entry.metric === metric ? figure : entry)) };
}

const CUSTOMER_FIELDS = ['usersAffected', 'customerErrors', 'supportTickets', 'revenueUsd'] as const;

/** Each field independently: the latest report that carries it wins. */
export function applyCustomerImpact(state: IncidentState, event: EventOf<'customer_impact.reported'>, point: TimePoint): IncidentState {
  const customerImpact: CustomerImpact = { ...state.customerImpact };
  for (const field of CUSTOMER_FIELDS) {
    const value = event.data[field];
    if (value !== undefined) customerImpact[field] = sourced(value, point);
  }
  return { ...state, customerImpact };
}

export function applyResolutionStep(state: IncidentState, event: EventOf<'resolution.step'>, point: TimePoint, scope: FoldScope): IncidentState {
  return appendCapped(state, 'resolutionSteps', { description: event.data.description, ...point }, scope);
}

export function applyLesson(state: IncidentState, event: EventOf<'lesson.recorded'>, point: TimePoint, scope: FoldScope): IncidentState {
  return appendCapped(state, 'lessons', { kind: event.data.kind, text: event.data.text, ...point }, scope);
}

export function applyActionItem(state: IncidentState, event: EventOf<'action_item.added'>, point: TimePoint, scope: FoldScope): IncidentState {
  const { priority, action, owner, dueDate } = event.data;
  return appendCapped(state, 'actionItems', { priority, action, owner, dueDate, ...point }, scope);
}

export function applyNote(state: IncidentState, event: EventOf<'note.added'>, point: TimePoint, scope: FoldScope): IncidentState {
  return appendCapped(state, 'notes', { text: event.data.text, ...point }, scope);
}
