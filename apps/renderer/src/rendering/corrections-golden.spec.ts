import * as fc from 'fast-check';
import type { IncidentEvent } from '@app/domain';
import { correctionsEvents, correctionsRca } from '../../test/support/event-log.js';
import { rcaForLog } from './for-log.js';

/*
 * The corrections log (test/fixtures/payments-outage-corrected.ndjson): users affected from 09:40, the first
 * alert at 09:52, a "mitigated" at 10:20 retracted as wrong (the real one at 10:35), and the checkout incident
 * merged into the payments one. Its RCA, checked line by line by hand, is
 * test/fixtures/rca-2025-06-12-expired-card-network-certificate-payments-api.md.
 */

const events = correctionsEvents();
const expected = correctionsRca();

function rca(log: readonly IncidentEvent[], incident?: string): string {
  const result = rcaForLog(log, { preparedOn: '2025-06-13', ...(incident ? { incident } : {}) });
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

describe('RCA of a corrected and merged incident', () => {
  it('is the document written by hand, line for line', () => {
    expect(rca(events).split('\n')).toEqual(expected.split('\n'));
  });

  it('says what was corrected: time to detect from the impact start, the corrected milestone, the retraction and the merge', () => {
    const lines = expected.split('\n');
    expect(lines).toContain('- Time to detect: 12 minutes');
    expect(lines).toContain('| 10:35 | Mitigation applied |');
    expect(lines).toContain('| Mitigation applied | 10:35 (corrected from 10:20) | pay-status-3 |');
    expect(lines.some((line) => line.startsWith('| pay-status-3-wrong | status.changed | 10:20 | alice | 11:30 |'))).toBe(true);
    expect(lines).toContain('| INC-2025-0612-CHK | bob | 10:10 | merge-chk-into-pay |');
  });

  it('is the same document for the merged incident and in any arrival order, with any re-sends', () => {
    expect(rca(events, 'INC-2025-0612-CHK')).toBe(expected);
    fc.assert(
      fc.property(
        fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
        fc.array(fc.constantFrom(...events), { maxLength: 10 }),
        (shuffled, resent) => rca([...shuffled, ...resent]) === expected,
      ),
      { numRuns: 40 },
    );
  });
});
