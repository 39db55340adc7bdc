import type { IncidentEvent } from '../events/envelope.js';
import { eventTimeMs } from '../events/ordering.js';
import { CORRELATION_SNAPSHOT_VERSION, type CorrelationSnapshot } from './correlation-snapshot.js';
import { incidentIdFor } from './incident-id.js';

/** The types that may open an incident (rule 3). */
export const OPENING_EVENT_TYPES: readonly string[] = ['alert.triggered', 'page.sent', 'incident.declared'];

export const opensIncident = (event: IncidentEvent): boolean => OPENING_EVENT_TYPES.includes(event.type);

/** An alert is told apart by its fingerprint, else by its name (EVENTS.md, "When an incident ends without a person"). */
export function alertIdentity(event: IncidentEvent): string | null {
  if (event.type !== 'alert.triggered' && event.type !== 'alert.resolved') return null;
  return event.data.fingerprint ? `fingerprint:${event.data.fingerprint}` : `name:${event.data.alertName}`;
}

interface Moment {
  atMs: number;
  id: string;
}

const isBefore = (a: Moment, b: Moment) => (a.atMs !== b.atMs ? a.atMs < b.atMs : a.id < b.id);

/** Inserts keeping `list` in event-time order; events mostly come in that order, so from the end. */
function insertInOrder<M extends Moment>(list: M[], item: M): void {
  let i = list.length;
  while (i > 0 && isBefore(item, list[i - 1]!)) i -= 1;
  list.splice(i, 0, item);
}

/**
 * What correlation knows of one incident while a log is correlated. Every field is a function of the
 * incident's set of events (minimum, maximum, union, latest per alert), so the order in which they were
 * absorbed does not matter.
 */
export class TrackedIncident {
  readonly events: IncidentEvent[] = [];
  /** Whether `events` are in event-time order (events are mostly absorbed so; rule 4 offers earlier ones late). */
  inOrder = true;
  private last: Moment | null = null;
  /** Its latest event (time, then id): a batch whose events all come after it may continue from a snapshot. */
  latest: Moment;
  /** Explicit keys of its events (incidentKey, correlationKeys, label keys), first linked first. */
  readonly keys: string[] = [];
  /** The services of its events: the window groups it may ever have read are theirs. */
  private readonly services = new Set<string>();
  /** incidentIdFor of every event that could have opened it: its id under any arrival order. */
  readonly aliases: string[] = [];
  first: Moment & { service: string };
  private personStatuses: (Moment & { status: string })[] = [];
  private declared = false;
  private readonly alerts = new Map<string, Moment & { firing: boolean }>();
  private sawAlert = false;
  private firingAlerts = 0;
  private latestAlertAtMs = Number.NEGATIVE_INFINITY;
  /** Where the window ends: the resolution, else the latest event plus the idle time. */
  endMs = Number.POSITIVE_INFINITY;

  constructor(
    readonly id: string,
    opener: Pick<IncidentEvent, 'id' | 'service'> & { atMs: number },
    private readonly idleMs: number,
  ) {
    this.first = { atMs: opener.atMs, id: opener.id, service: opener.service };
    this.latest = { atMs: opener.atMs, id: opener.id };
  }

  /**
   * What correlation needs of it to take events that all come after its latest one: not its events, nor the
   * aliases they gave it (those were linked when they came), nor alerts no longer firing, nor statuses
   * before the last (or before the last run of `resolved`, which is what resolution reads).
   */
  snapshot(settingsKey: string): CorrelationSnapshot {
    let runStart = this.personStatuses.length;
    while (runStart > 0 && this.personStatuses[runStart - 1]!.status === 'resolved') runStart -= 1;
    const statusTail = this.personStatuses.length === 0 ? null : this.personStatuses[Math.min(runStart, this.personStatuses.length - 1)]!;
    return {
      version: CORRELATION_SNAPSHOT_VERSION,
      settingsKey,
      first: { ...this.first },
      latest: { ...this.latest },
      keys: [...this.keys],
      services: [...this.services].sort(),
      statusTail: statusTail === null ? null : { atMs: statusTail.atMs, id: statusTail.id, status: statusTail.status },
      declared: this.declared,
      sawAlert: this.sawAlert,
      // Sorted: a set, whichever order its alerts came in.
      firing: [...this.alerts].filter(([, alert]) => alert.firing).map(([identity]) => identity).sort(),
      latestAlertAtMs: this.sawAlert ? this.latestAlertAtMs : null,
    };
  }

  /** An incident as a snapshot left it, without its events: it can only take events after `snapshot.latest`. */
  static restore(id: string, snapshot: CorrelationSnapshot, idleMs: number): TrackedIncident {
    const incident = new TrackedIncident(id, snapshot.first, idleMs);
    incident.latest = { ...snapshot.latest };
    incident.last = { ...snapshot.latest };
    incident.keys.push(...snapshot.keys);
    for (const service of snapshot.services) incident.services.add(service);
    // The last run of resolved statuses is all resolution needs of the statuses before (resolvedByPersonAtMs).
    if (snapshot.statusTail !== null) incident.personStatuses.push({ ...snapshot.statusTail });
    incident.declared = snapshot.declared;
    incident.sawAlert = snapshot.sawAlert;
    for (const identity of snapshot.firing) incident.alerts.set(identity, { atMs: snapshot.latestAlertAtMs!, id: '', firing: true });
    incident.firingAlerts = snapshot.firing.length;
    incident.latestAlertAtMs = snapshot.latestAlertAtMs ?? Number.NEGATIVE_INFINITY;
    incident.endMs = incident.resolvedAtMs() ?? incident.latest.atMs + idleMs;
    return incident;
  }

  get service(): string {
    return this.first.service;
  }

  /** Adds an event (`atMs`: its time, when the caller has it); returns the keys and aliases it linked that the incident did not have. */
  absorb(event: IncidentEvent, keys: readonly string[], atMs = eventTimeMs(event)): string[] {
    this.events.push(event);
    this.services.add(event.service);
    const at: Moment = { atMs, id: event.id };
    if (this.last !== null && isBefore(at, this.last)) this.inOrder = false;
    this.last = at;
    if (isBefore(this.latest, at)) this.latest = at;
    if (isBefore(at, this.first)) this.first = { ...at, service: event.service };
    const linked: string[] = [];
    for (const key of keys) {
      if (!this.keys.includes(key)) {
        this.keys.push(key);
        linked.push(key);
      }
    }
    if (opensIncident(event)) {
      const alias = incidentIdFor(event);
      this.aliases.push(alias);
      linked.push(alias);
    }
    if (event.type === 'status.changed') insertInOrder(this.personStatuses, { ...at, status: event.data.status });
    if (event.type === 'incident.declared') this.declared = true;
    const alert = alertIdentity(event);
    if (alert !== null) {
      const seen = this.alerts.get(alert);
      const firing = event.type === 'alert.triggered';
      if (!seen || isBefore(seen, at)) {
        this.firingAlerts += (firing ? 1 : 0) - (seen?.firing ? 1 : 0);
        this.alerts.set(alert, { ...at, firing });
      }
      this.latestAlertAtMs = Math.max(this.latestAlertAtMs, at.atMs);
      this.sawAlert = true;
    }
    this.endMs = this.resolvedAtMs() ?? this.latest.atMs + this.idleMs;
    return linked;
  }

  /**
   * When the incident is resolved, or null: by a person, the first `resolved` of the last run of resolved
   * statuses; without a person (no status, no declaration), when its last firing alert resolved.
   */
  resolvedAtMs(): number | null {
    if (this.personStatuses.length > 0 || this.declared) return this.resolvedByPersonAtMs();
    // Every alert's latest event is its resolution, so the latest alert event is the last resolution.
    return !this.sawAlert || this.firingAlerts > 0 ? null : this.latestAlertAtMs;
  }

  private resolvedByPersonAtMs(): number | null {
    let resolvedAt: number | null = null;
    for (let i = this.personStatuses.length - 1; i >= 0 && this.personStatuses[i]!.status === 'resolved'; i -= 1) resolvedAt = this.personStatuses[i]!.atMs;
    return resolvedAt;
  }

  /** Rule 2: whether its window, from a margin before its first event to its end, holds `atMs`. */
  covers(atMs: number, marginMs: number): boolean {
    return atMs >= this.first.atMs - marginMs && atMs <= this.endMs;
  }

  /** A total order on incidents by when they started: first event, then its id, then the incident id. */
  startedBefore(other: TrackedIncident): boolean {
    if (this.first.atMs !== other.first.atMs) return this.first.atMs < other.first.atMs;
    if (this.first.id !== other.first.id) return this.first.id < other.first.id;
    return this.id < other.id;
  }
}
