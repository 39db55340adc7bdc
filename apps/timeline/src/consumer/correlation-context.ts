import type { EntityManager } from 'typeorm';
import { servicesOfGroup, storableInstant, windowGroupOf, type CorrelationPlan, type CorrelationSettings, type IncidentEvent, type StoredPlacement } from '@app/domain';
import { loadIncidentsEvents, loadUnattached, type ServiceRange } from '../event-store/read-events.js';
import { loadIncidentsByKeys, loadIncidentsInRanges } from '../incidents/incident-store.js';
import { loadRetractionTargets, loadWaitingRetractions } from './corrections-context.js';

/**
 * What correlating a batch may touch: whole stored incidents and the unattached events of the time ranges
 * (per window group) and keys the batch reaches. Correlating it again from scratch with the fresh events
 * gives the placement the whole log would give, as long as no incident of the result reaches past it: so it
 * is widened to each resulting incident's window and keys until it stops growing. The work of a late event
 * is bounded by the windows it touches, not by the size of the log.
 */
export class CorrelationContext {
  private readonly ranges = new Map<string, { fromMs: number; toMs: number }>();
  private readonly keys = new Set<string>();
  private readonly loadedIncidents = new Set<string>();
  private readonly placements = new Map<string, StoredPlacement>();
  private loadedRanges = new Map<string, { fromMs: number; toMs: number }>();
  private loadedKeys = new Set<string>();

  private readonly checked = new Set<string>();

  constructor(
    private readonly fresh: readonly IncidentEvent[],
    private readonly settings: CorrelationSettings,
    keysOf: (event: IncidentEvent) => string[],
  ) {
    for (const event of fresh) {
      const group = windowGroupOf(event.service, settings);
      if (group !== null) this.widenRange(group, Date.parse(event.occurredAt), Date.parse(event.occurredAt));
      for (const key of keysOf(event)) this.keys.add(key);
    }
  }

  stored(): StoredPlacement[] {
    return [...this.placements.values()];
  }

  /** Loads the incidents and unattached events that the ranges and keys reach and are not loaded yet; true when it found any. */
  async load(manager: EntityManager): Promise<boolean> {
    const before = this.placements.size;
    const ranges = this.serviceRanges(this.newRanges());
    const keys = [...this.keys].filter((key) => !this.loadedKeys.has(key));
    this.loadedRanges = new Map([...this.ranges].map(([group, range]) => [group, { ...range }]));
    this.loadedKeys = new Set(this.keys);
    const inRanges = await loadIncidentsInRanges(manager, ranges, this.settings.marginMinutes, this.settings.idleMinutes);
    const byKeys = await loadIncidentsByKeys(manager, keys);
    const incidents = [...new Set([...inRanges, ...byKeys])].filter((id) => !this.loadedIncidents.has(id));
    for (const id of incidents) this.loadedIncidents.add(id);
    for (const placement of await loadIncidentsEvents(manager, incidents)) this.placements.set(placement.event.id, placement);
    for (const event of await loadUnattached(manager, ranges, keys)) {
      if (!this.placements.has(event.id)) this.placements.set(event.id, { event, incidentId: null });
    }
    await this.loadCorrections(manager);
    return this.placements.size > before;
  }

  /** Retractions belong to the incident of their target: load those incidents, and the stored retractions waiting for events at hand. */
  private async loadCorrections(manager: EntityManager): Promise<void> {
    const events = [...this.fresh, ...[...this.placements.values()].map((placement) => placement.event)];
    const unchecked = events.filter((event) => !this.checked.has(event.id));
    for (const event of unchecked) this.checked.add(event.id);
    const targets = [...new Set((await loadRetractionTargets(manager, unchecked)).values())].filter((id) => !this.loadedIncidents.has(id));
    for (const id of targets) this.loadedIncidents.add(id);
    for (const placement of await loadIncidentsEvents(manager, targets)) this.placements.set(placement.event.id, placement);
    for (const event of await loadWaitingRetractions(manager, unchecked.map((e) => e.id))) {
      if (!this.placements.has(event.id)) this.placements.set(event.id, { event, incidentId: null });
    }
  }

  /** Widens the context to every window and key of the plan's incidents; true when that reaches anything new. */
  widen(plan: CorrelationPlan): boolean {
    let grew = false;
    const marginMs = this.settings.marginMinutes * 60_000;
    for (const incident of plan.log.incidents) {
      const group = windowGroupOf(incident.service, this.settings);
      if (group !== null) grew = this.widenRange(group, incident.firstAtMs - marginMs, incident.windowEndMs) || grew;
      for (const key of [incident.id, ...incident.keys, ...incident.aliases]) {
        if (!this.keys.has(key)) {
          this.keys.add(key);
          grew = true;
        }
      }
    }
    return grew;
  }

  private widenRange(group: string, fromMs: number, toMs: number): boolean {
    const range = this.ranges.get(group);
    if (!range) {
      this.ranges.set(group, { fromMs, toMs });
      return true;
    }
    if (fromMs >= range.fromMs && toMs <= range.toMs) return false;
    range.fromMs = Math.min(range.fromMs, fromMs);
    range.toMs = Math.max(range.toMs, toMs);
    return true;
  }

  /** The parts of the ranges not loaded yet (a range that grew is loaded again whole: simple, and rare). */
  private newRanges(): [string, { fromMs: number; toMs: number }][] {
    return [...this.ranges].filter(([group, range]) => {
      const loaded = this.loadedRanges.get(group);
      return !loaded || range.fromMs < loaded.fromMs || range.toMs > loaded.toMs;
    });
  }

  private serviceRanges(ranges: [string, { fromMs: number; toMs: number }][]): ServiceRange[] {
    return ranges.flatMap(([group, range]) =>
      servicesOfGroup(group, this.settings).map((service) => ({ service, from: storableInstant(range.fromMs), to: storableInstant(range.toMs) })),
    );
  }
}
