import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { IncidentState } from '@app/domain';
import { RendererStore } from '../store/renderer-store.js';
import { RcaDrafts } from './rca-drafts.js';
import { RendererMetrics } from './renderer-metrics.js';
import { Vault } from './vault.js';

/** Drafts the resolved incidents among freshly projected states: the consumer's last step, and the renderer rebuild's. */
@Injectable()
export class DraftWriter {
  constructor(
    private readonly store: RendererStore,
    private readonly drafts: RcaDrafts,
    private readonly metrics: RendererMetrics,
    private readonly vault: Vault,
  ) {}

  /** Stores a new draft version of each resolved incident whose draft changed; returns how many. */
  async write(manager: EntityManager, states: IncidentState[], preparedOn: (state: IncidentState) => string): Promise<number> {
    const resolved = states.filter((state) => !state.open);
    if (resolved.length === 0) return 0;
    const previous = await this.store.previousIncidents(resolved, manager);
    const rendered = resolved.map((state) => {
      const date = preparedOn(state);
      return { state, preparedOn: date, ...this.drafts.rca(state, previous.get(state.id) ?? null, date) };
    });
    const versions = await this.store.saveDrafts(
      manager,
      rendered.map(({ state, preparedOn: date, view, markdown }) => ({ incidentId: state.id, preparedOn: date, fileName: view.fileName, markdown })),
    );
    this.metrics.draftsWritten.inc(versions.size);
    // Written before the commit: a failed commit re-delivers the batch, which rewrites the same files.
    for (const { state, view, markdown } of rendered) {
      if (versions.has(state.id)) await this.vault.write(manager, state.id, `${view.date}-${view.slug}`, markdown);
    }
    return versions.size;
  }
}
