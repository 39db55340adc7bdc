import { buildRcaView, project, type IncidentEvent } from '@app/domain';
import { event } from '../../test/support/event-log.js';
import { rcaForLog } from './for-log.js';
import { renderRca } from './render.js';

function rca(events: IncidentEvent[]): string {
  const result = rcaForLog(events, { preparedOn: '2025-04-06' });
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

/** The lines of one `## ` section, heading excluded. */
function section(markdown: string, heading: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.indexOf(`## ${heading}`);
  const end = lines.findIndex((line, i) => i > start && line.startsWith('## '));
  return lines.slice(start + 1, end === -1 ? undefined : end);
}

describe('figures the log lacks', () => {
  const alertOnly = [event('alert.triggered', { alertName: 'OrderServiceHighErrorRate' })];
  const output = rca(alertOnly);

  it('prints every unrecorded line of the view, each saying _not recorded_', () => {
    const view = buildRcaView(project('inc-1', alertOnly), { preparedOn: '2025-04-06' });
    const missing = [...view.keyMetrics, ...view.impact, ...view.customerImpact, ...view.resolution].filter((line) => !line.recorded);
    expect(missing.length).toBeGreaterThan(0);
    for (const line of missing) {
      expect(line.text).toContain('_not recorded_');
      expect(output).toContain(line.text);
    }
  });

  it('shows the unmeasured key metrics as _not recorded_, never as a number', () => {
    const metrics = section(output, 'Key Metrics');
    for (const label of ['Time to acknowledge', 'Time to mitigate', 'Time to resolve']) {
      expect(metrics).toContain(`- ${label}: _not recorded_`);
    }
  });

  it('keeps the front matter valid YAML where duration and author are unknown', () => {
    expect(output).toContain('duration_minutes: "_not recorded_"');
    expect(output).toContain('author: "_not recorded_"');
  });

  it('shows _not recorded_ instead of an empty diagram when no milestone is recorded', () => {
    const declaredOnly = [event('incident.declared', { title: 'Checkout errors', severity: 'P2' })];
    const diagram = section(rca(declaredOnly), 'Timeline Diagram');
    expect(diagram).toContain('_not recorded_');
    expect(diagram.join('\n')).not.toContain('```mermaid');
  });

  it('renders an open incident (no resolution yet) without failing on any missing field', () => {
    const open = [event('alert.triggered', { alertName: 'A' }), event('page.sent', {}, { occurredAt: '2025-04-05T15:30:00Z' })];
    const view = buildRcaView(project('inc-open', open), { preparedOn: '2025-04-06' });
    expect(view.status).toBe('triggered');
    expect(renderRca(view)).toContain('- Time to resolve: _not recorded_');
  });
});
