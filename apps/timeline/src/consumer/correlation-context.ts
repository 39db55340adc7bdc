import type { EntityManager } from 'typeorm';
import { eventTimeMs, servicesOfGroup, storableInstant, windowGroupOf, type CorrelationPlan, type CorrelationSettings, type IncidentEvent, type StoredPlacement } from '@app/domain';
import { loadIncidentsEvents, loadUnattached, type ServiceRange } from '../event-store/read-events.js';
import { loadIncidentsByKeys, loadIncidentsInRanges } from '../incidents/incident-store.js';
import { loadRetractionTargets, loadWaitingRetractions } from './corrections-context.js';
import { bridgeGaps, InstantIntervals, type Interval } from './instant-intervals.js';

/**
 * What correlating a batch may touch: whole stored incidents and the unattached events of the stretches of
 * time (per window group) and keys the batch reaches. Correlating it again from scratch with the fresh events
 * gives the placement the whole log would give, as long as nothing of the result reaches past it: so it is
 * widened to each resulting incident's window and keys, and to the instant of each event the result leaves
 * unattached, until it stops growing. What lies outside (an incident whose window meets none of those
 * stretches and which shares no key with them; an unattached event in none of them and keyed by none of
 * those keys) neither takes nor gives an event to what lies inside, so its stored placement stands. The
 * stretches are kept apart (a union of intervals, not one span): a late event ten days old reaches the
 * windows around it and around the current events, not the days between them.
 */
export class CorrelationContext {
  private readonly reached = new Map<string, InstantIntervals>();
  private readonly loaded = new Map<string, InstantIntervals>();
  private readonly keys = new Set<string>();
  private readonly loadedKeys = new Set<string>();
  private readonly loadedIncidents = new Set<string>();
  private readonly placements = new Map<string, StoredPlacement>();
  /** Events whose retraction look-ups are still to do: the fresh ones and the unattached ones loaded (see loadCorrections). */
  private readonly toCheck: IncidentEvent[] = [];

  constructor(
    private readonly fresh: readonly IncidentEvent[],
    private readonly settings: CorrelationSettings,
    keysOf: (event: IncidentEvent) => string[],
  ) {
    for (const event of fresh) {
      this.reachInstant(event);
      for (const key of keysOf(event)) this.keys.add(key);
    }
    this.toCheck.push(...fresh);
  }

  stored(): StoredPlacement[] {
    return [...this.placements.values()];
  }

  /** Loads the incidents and unattached events that the stretches and keys reach and are not loaded yet; true when it found any. */
  async load(manager: EntityManager): Promise<boolean> {
    const before = this.placements.size;
    const ranges = serviceRanges(this.takeUnloadedIntervals(), this.settings);
    const keys = [...this.keys].filter((key) => !this.loadedKeys.has(key));
    for (const key of keys) this.loadedKeys.add(key);
    const inRanges = await loadIncidentsInRanges(manager, ranges, this.settings.marginMinutes, this.settings.idleMinutes);
    const byKeys = await loadIncidentsByKeys(manager, keys);
    await this.loadIncidents(manager, [...inRanges, ...byKeys]);
    this.addUnattached(await loadUnattached(manager, ranges, keys));
    await this.loadCorrections(manager);
    return this.placements.size > before;
  }

  /**
   * Retractions belong to the incident of their target: load those incidents, and the stored retractions
   * waiting for events at hand. Only fresh and unattached events need it. The stored correlation is
   * correlateLog's, whose run places a retraction only where placedIn says its target is, offers the
   * retractions waiting for an event (retractionsByTarget) the moment that event is placed, and never moves
   * a placed event afterwards (merges move whole incidents): so a stored incident holds its retractions'
   * targets, and no retraction waits for an event stored in an incident. The incidents loaded here are
   * whole; the waiting retractions found are unattached, so they are checked in turn (a retraction of one).
   */
  private async loadCorrections(manager: EntityManager): Promise<void> {
    while (this.toCheck.length > 0) {
      const unchecked = this.toCheck.splice(0);
      await this.loadIncidents(manager, [...(await loadRetractionTargets(manager, unchecked)).values()]);
      this.addUnattached(await loadWaitingRetractions(manager, unchecked.map((event) => event.id)));
    }
  }

  private async loadIncidents(manager: EntityManager, ids: readonly string[]): Promise<void> {
    const incidents = [...new Set(ids)].filter((id) => !this.loadedIncidents.has(id));
    for (const id of incidents) this.loadedIncidents.add(id);
    for (const placement of await loadIncidentsEvents(manager, incidents)) this.placements.set(placement.event.id, placement);
  }

  private addUnattached(events: readonly IncidentEvent[]): void {
    for (const event of events) {
      if (this.placements.has(event.id)) continue;
      this.placements.set(event.id, { event, incidentId: null });
      this.toCheck.push(event);
    }
  }

  /** Widens the context to every window and key of the plan's incidents and the instant of each event it leaves unattached; true when that reaches anything new. */
  widen(plan: CorrelationPlan): boolean {
    let grew = false;
    const marginMs = this.settings.marginMinutes * 60_000;
    for (const incident of plan.log.incidents) {
      grew = this.reach(windowGroupOf(incident.service, this.settings), incident.firstAtMs - marginMs, incident.windowEndMs) || grew;
      for (const key of [incident.id, ...incident.keys, ...incident.aliases]) {
        if (!this.keys.has(key)) {
          this.keys.add(key);
          grew = true;
        }
      }
    }
    // An incident whose window covers an unattached event's instant may take it: one outside the context
    // too (say the event left an incident this plan re-formed). Mostly loaded by its instant already.
    for (const event of plan.log.unattached) grew = this.reachInstant(event) || grew;
    return grew;
  }

  private reachInstant(event: IncidentEvent): boolean {
    // A retraction is placed by its target alone, never by a window.
    if (event.type === 'event.retracted') return false;
    const atMs = eventTimeMs(event);
    return this.reach(windowGroupOf(event.service, this.settings), atMs, atMs);
  }

  private reach(group: string | null, fromMs: number, toMs: number): boolean {
    if (group === null) return false;
    let intervals = this.reached.get(group);
    if (!intervals) this.reached.set(group, (intervals = new InstantIntervals()));
    return intervals.add(fromMs, toMs);
  }

  /**
   * The parts of the reached stretches not loaded yet, per group; marked loaded. Parts less than an idle
   * time apart are read as one, the gap with them: a batch of a busy service reaches hundreds of instants
   * seconds apart, each its own index look-up otherwise. Reading more than is reached is exact (what the
   * gap holds is correlated like the rest); it only costs what the gap holds.
   */
  private takeUnloadedIntervals(): [string, Interval[]][] {
    const result: [string, Interval[]][] = [];
    const bridgeMs = this.settings.idleMinutes * 60_000;
    for (const [group, reached] of this.reached) {
      let loaded = this.loaded.get(group);
      if (!loaded) this.loaded.set(group, (loaded = new InstantIntervals()));
      const parts = bridgeGaps(reached.without(loaded), bridgeMs);
      for (const part of parts) loaded.add(part.fromMs, part.toMs);
      if (parts.length > 0) result.push([group, parts]);
    }
    return result;
  }

}

/** The look-ups of stretches of time per window group: each service of the group over each stretch. */
export function serviceRanges(groups: Iterable<readonly [string, readonly Interval[]]>, settings: CorrelationSettings): ServiceRange[] {
  return [...groups].flatMap(([group, intervals]) =>
    servicesOfGroup(group, settings).flatMap((service) => intervals.map((interval) => ({ service, from: storableInstant(interval.fromMs), to: storableInstant(interval.toMs) }))),
  );
}
