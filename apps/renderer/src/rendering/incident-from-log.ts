import { correlateLog, possibleDuplicates, project, type CorrelateOptions, type IncidentEvent, type IncidentState } from '@app/domain';

export interface PickOptions {
  /** Incident id or any incidentKey linked to it; needed when the log holds several incidents. */
  incident?: string;
  /** Correlation margin; the pipeline's default when absent. */
  marginMinutes?: number;
  /** Further correlation settings (idle time, label keys, service groups); the pipeline's defaults when absent. */
  correlation?: CorrelateOptions;
}

export type PickResult =
  | { ok: true; state: IncidentState; unattachedEvents: number }
  | { ok: false; error: string };

function describeIncident(state: IncidentState): string {
  const keys = state.keys.length > 0 ? `keys ${state.keys.join(', ')}` : 'no keys';
  return `  ${state.id} (${keys}; ${state.primaryService ?? 'no service'}, from ${state.firstEventAt ?? '?'})`;
}

/**
 * The one incident of an event log, projected by the same correlation and projection code as the
 * pipeline. An error (never a guess) when the log holds none, or several and none is picked.
 */
export function incidentFromLog(events: readonly IncidentEvent[], options: PickOptions = {}): PickResult {
  const log = correlateLog(events, { ...options.correlation, ...(options.marginMinutes === undefined ? {} : { marginMinutes: options.marginMinutes }) });
  const projected = log.incidents.map((incident) => project(incident.id, incident.events));
  const duplicates = possibleDuplicates(projected);
  const states = projected.map((state) => ({ ...state, possibleDuplicates: duplicates.get(state.id) ?? [] }));
  const unattachedEvents = log.unattached.length;
  if (states.length === 0) {
    return { ok: false, error: `the log holds no incident (${events.length} events, ${unattachedEvents} unattached)` };
  }
  const listing = states.map(describeIncident).join('\n');
  const wanted = options.incident;
  if (wanted !== undefined) {
    // A merged-away incident answers with the one it was merged into, by its old id or any of its keys.
    const answering = log.aliases.get(wanted) ?? wanted;
    const state = states.find((s) => s.id === answering) ?? states.find((s) => s.keys.includes(wanted));
    return state ? { ok: true, state, unattachedEvents } : { ok: false, error: `no incident matches "${wanted}"; the log holds:\n${listing}` };
  }
  const [only] = states;
  if (states.length === 1 && only) return { ok: true, state: only, unattachedEvents };
  return { ok: false, error: `the log holds ${states.length} incidents; pick one by id or key (--incident KEY):\n${listing}` };
}
