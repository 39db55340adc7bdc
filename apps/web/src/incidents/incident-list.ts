import type { IncidentState } from '@app/domain';
import { formatInstant, formatMinutes } from './describe-event.js';
import { incidentTitle } from './incident-view.js';

export const PAGE_SIZE = 25;
/** How many incidents of each status the filters look through (the newest ones). */
export const SCAN_LIMIT = 500;

export interface ListFilter {
  status?: 'open' | 'resolved';
  service?: string;
  severity?: string;
  q?: string;
  page: number;
  ids?: string[];
}

const one = (value: unknown) => (typeof value === 'string' ? value.trim() : Array.isArray(value) && typeof value[0] === 'string' ? value[0].trim() : '');

/** The list's query string; unknown or malformed values are ignored rather than refused (a person typed them). */
export function parseListFilter(query: Record<string, unknown>): ListFilter {
  const status = one(query.status);
  const severity = one(query.severity);
  const page = Number.parseInt(one(query.page), 10);
  const ids = one(query.ids)
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id.length > 0 && id.length <= 256)
    .slice(0, 200);
  return {
    status: status === 'open' || status === 'resolved' ? status : undefined,
    service: /^[a-z0-9][a-z0-9._-]{0,127}$/.test(one(query.service)) ? one(query.service) : undefined,
    severity: /^P[1-5]$/.test(severity) ? severity : undefined,
    q: one(query.q).slice(0, 200) || undefined,
    page: Number.isInteger(page) && page > 0 ? page : 1,
    ids: ids.length > 0 ? ids : undefined,
  };
}

/** Text people search for: title, alert names, notes, root cause, ids and keys. */
function searchable(state: IncidentState): string {
  return [state.id, ...state.keys, state.title?.value, ...state.alertNames, state.rootCause?.summary, ...state.notes.map((note) => note.text)]
    .filter(Boolean)
    .join('\n')
    .toLowerCase();
}

export function matches(state: IncidentState, filter: ListFilter): boolean {
  if (filter.severity && state.severity?.value !== filter.severity) return false;
  if (filter.service && !state.services.includes(filter.service)) return false;
  if (filter.status && (filter.status === 'open') !== state.open) return false;
  if (filter.q) {
    const text = searchable(state);
    return filter.q
      .toLowerCase()
      .split(/\s+/)
      .every((word) => text.includes(word));
  }
  return true;
}

/** Open incidents first, then the others, each newest first; one page of them. */
export function listView(incidents: IncidentState[], filter: ListFilter) {
  const matching = incidents.filter((state) => matches(state, filter));
  const ordered = [...matching.filter((s) => s.open), ...matching.filter((s) => !s.open)];
  const pages = Math.max(1, Math.ceil(ordered.length / PAGE_SIZE));
  const page = Math.min(filter.page, pages);
  const link = (target: number) => {
    const params = new URLSearchParams();
    if (filter.status) params.set('status', filter.status);
    if (filter.service) params.set('service', filter.service);
    if (filter.severity) params.set('severity', filter.severity);
    if (filter.q) params.set('q', filter.q);
    if (filter.ids) params.set('ids', filter.ids.join(','));
    params.set('page', String(target));
    return `/incidents?${params}`;
  };
  const rows = ordered.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((state) => ({
    id: state.id,
    href: `/incidents/${encodeURIComponent(state.id)}`,
    title: incidentTitle(state),
    status: state.status,
    open: state.open,
    severity: state.severity?.value ?? '',
    services: state.services.join(', '),
    started: formatInstant(state.firstEventAt),
    startedIso: state.firstEventAt ?? '',
    duration: state.open ? '' : formatMinutes(state.durations.durationMinutes),
    events: state.eventCount,
  }));
  return {
    rows,
    total: ordered.length,
    page,
    pages,
    previous: page > 1 ? link(page - 1) : null,
    next: page < pages ? link(page + 1) : null,
    filter: {
      ...filter,
      statusOptions: [
        { value: '', label: 'any', selected: !filter.status },
        { value: 'open', label: 'open', selected: filter.status === 'open' },
        { value: 'resolved', label: 'resolved', selected: filter.status === 'resolved' },
      ],
      severityOptions: [{ value: '', label: 'any', selected: !filter.severity }, ...['P1', 'P2', 'P3', 'P4', 'P5'].map((value) => ({ value, label: value, selected: filter.severity === value }))],
      idsText: filter.ids?.join(', '),
    },
    services: [...new Set(incidents.flatMap((state) => state.services))].sort(),
  };
}
