import { buildRcaView, correlateLog, project, type IncidentEvent } from '@app/domain';
import * as fc from 'fast-check';
import { fixtureEvents, firstDifference, referenceRca } from '../../test/support/event-log.js';
import { rcaForLog } from './for-log.js';
import { renderRca } from './render.js';

const events = fixtureEvents();

function rca(log: readonly IncidentEvent[]): string {
  const result = rcaForLog(log, { preparedOn: '2025-04-06' });
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

describe('default RCA template on the reference log', () => {
  const output = rca(events);

  it('reproduces every line of the reference RCA, in order', () => {
    expect(firstDifference(referenceRca(), output)).toBeNull();
  });

  it('appends the extras after the footer, so the reference stays a prefix', () => {
    const extras = output.slice(referenceRca().length);
    expect(extras.startsWith('\n---\n')).toBe(true);
    expect(extras).toContain('## Key Metrics');
    expect(extras).toContain('```mermaid\ntimeline\n');
    expect(extras).toContain('## Appendix');
  });

  it('shows every key metric, milestone and appendix row of the view', () => {
    const incident = correlateLog(events).incidents[0]!;
    const view = buildRcaView(project(incident.id, incident.events), { preparedOn: '2025-04-06' });
    const lines = output.split('\n');
    for (const metric of view.keyMetrics) expect(lines).toContain(`- ${metric.text}`);
    for (const entry of view.mermaid.entries) expect(lines).toContain(`    ${entry.period} : ${entry.event}`);
    for (const row of view.appendix) expect(lines).toContain(`| ${row.figure} | ${row.value} | ${row.eventIds} |`);
  });

  it('ends with exactly one newline and has no carriage returns', () => {
    expect(output.endsWith('\n')).toBe(true);
    expect(output.endsWith('\n\n')).toBe(false);
    expect(output).not.toContain('\r');
  });

  it('gives byte-identical output for the same view', () => {
    const incident = correlateLog(events).incidents[0]!;
    const view = buildRcaView(project(incident.id, incident.events), { preparedOn: '2025-04-06' });
    expect(renderRca(view)).toBe(renderRca(structuredClone(view)));
  });

  it('gives byte-identical output whatever the arrival order and however many re-sends', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
        fc.array(fc.constantFrom(...events), { maxLength: 20 }),
        (shuffled, resent) => rca([...shuffled, ...resent]) === output,
      ),
      { numRuns: 40 },
    );
  });
});
