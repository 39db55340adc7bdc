import { buildImpactSummary, buildRcaView, messageOf, type ImpactSummary, type IncidentEvent } from '@app/domain';
import { incidentFromLog, type PickOptions } from './incident-from-log.js';
import { renderRca } from './render.js';
import type { Template } from './template-engine.js';

export interface RcaForLogOptions extends PickOptions {
  /** YYYY-MM-DD printed in the footer; injected so the same log always gives the same document. */
  preparedOn: string;
  /** Defaults to templates/rca.md.hbs. */
  template?: Template;
}

export type ForLogResult<T> = { ok: true; value: T; incidentId: string; unattachedEvents: number } | { ok: false; error: string };

/** The RCA markdown of the incident in `events`: correlateLog + project + buildRcaView + render. */
export function rcaForLog(events: readonly IncidentEvent[], options: RcaForLogOptions): ForLogResult<string> {
  const picked = incidentFromLog(events, options);
  if (!picked.ok) return picked;
  const view = buildRcaView(picked.state, { preparedOn: options.preparedOn });
  try {
    const value = renderRca(view, options.template);
    return { ok: true, value, incidentId: picked.state.id, unattachedEvents: picked.unattachedEvents };
  } catch (error) {
    // A custom template's mistake is the caller's input error, reported like a bad log line.
    return { ok: false, error: messageOf(error) };
  }
}

/** The impact summary (JSON, nulls where unknown) of the incident in `events`. */
export function summaryForLog(events: readonly IncidentEvent[], options: PickOptions = {}): ForLogResult<ImpactSummary> {
  const picked = incidentFromLog(events, options);
  if (!picked.ok) return picked;
  return { ok: true, value: buildImpactSummary(picked.state), incidentId: picked.state.id, unattachedEvents: picked.unattachedEvents };
}
