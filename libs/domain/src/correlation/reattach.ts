import type { IncidentEvent } from '../events/envelope.js';
import { orderEvents } from '../events/ordering.js';
import { matchExisting, recordAttachment } from './correlate.js';
import { type CorrelationIndex, workingCopy } from './index-model.js';

export interface Reattachment {
  event: IncidentEvent;
  incidentId: string;
  rule: 'key' | 'window';
  linkKey?: string;
}

export interface ReattachResult {
  attached: Reattachment[];
  unattached: IncidentEvent[];
  index: CorrelationIndex;
}

/**
 * Rule 4: offers the unattached events to the incidents again (rules 1 and 2 only, never
 * opening), until a pass attaches nothing, since one attachment may link a key or widen a
 * window that another event needs. Events are tried in event-time order for determinism.
 */
export function reattach(index: CorrelationIndex, unattachedEvents: readonly IncidentEvent[], options: { marginMinutes: number }): ReattachResult {
  const current = workingCopy(index);
  let pending = orderEvents(unattachedEvents);
  const attached: Reattachment[] = [];
  let progressed = true;
  while (progressed && pending.length > 0) {
    progressed = false;
    const stillPending: IncidentEvent[] = [];
    for (const event of pending) {
      const match = matchExisting(current, event, options.marginMinutes);
      if (!match) {
        stillPending.push(event);
        continue;
      }
      recordAttachment(current, match.incidentId, event);
      const { kind: _kind, ...placement } = match;
      attached.push({ event, ...placement });
      progressed = true;
    }
    pending = stillPending;
  }
  return { attached, unattached: pending, index: current };
}
