import type { IncidentEvent } from '@app/domain';
import { event } from '../../test/support/event-log.js';
import { rcaForLog } from './for-log.js';

// Everything event text could use to break out: a cell, a line, HTML, a template, a wiki link.
const HOSTILE = 'pipe | split\nnew line <script>alert(1)</script> {{footer}} [[evil]] 🔥';

/** One incident whose every free-text field holds `text`. */
function incidentWith(text: string): IncidentEvent[] {
  const at = (hhmm: string) => ({ occurredAt: `2025-04-05T${hhmm}:00Z`, incidentKey: 'INC-1' });
  return [
    event('alert.triggered', { alertName: 'HighErrors', summary: text }, at('15:28')),
    event('incident.declared', { title: text, severity: 'P2', team: text }, at('15:29')),
    event('root_cause.identified', { summary: text, category: text, contributingFactors: [text, text] }, at('15:38')),
    event('impact.measured', { metric: 'error_rate', unit: '%', peak: 40, baseline: text }, at('15:40')),
    event('mitigation.applied', { action: text }, at('16:00')),
    event('note.added', { text }, at('16:10')),
    event('resolution.step', { description: text }, at('16:20')),
    event('lesson.recorded', { kind: 'went_well', text }, at('16:30')),
    event('lesson.recorded', { kind: 'to_improve', text }, at('16:31')),
    // Ids refuse line breaks (control characters), so this one carries the rest of the text.
    event('action_item.added', { priority: 'P1', action: text, owner: text, dueDate: '2025-04-12' }, { ...at('16:40'), id: `act|${text.replace(/\n/g, ' ')}` }),
    event('status.changed', { status: 'resolved', note: text }, at('17:00')),
  ];
}

function render(text: string): string {
  const result = rcaForLog(incidentWith(text), { preparedOn: '2025-04-06' });
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

/** Consecutive lines starting with `|`, i.e. the markdown tables. */
function tables(markdown: string): string[][] {
  const found: string[][] = [];
  let current: string[] = [];
  for (const line of [...markdown.split('\n'), '']) {
    if (line.startsWith('|')) current.push(line);
    else if (current.length > 0) found.push(current), (current = []);
  }
  return found;
}

const cellSeparators = (row: string) => row.match(/(?<!\\)\|/g)?.length ?? 0;

/** What kind of markdown line this is, ignoring its text: newlines or `|` in text would change it. */
function shape(markdown: string): string[] {
  return markdown.split('\n').map((line) => {
    if (line.startsWith('|')) return `row of ${cellSeparators(line)}`;
    if (line.startsWith('#')) return line.replace(/ .*/, ' heading');
    if (/^(---|```|$)/.test(line)) return line;
    return /^(- |\d+\. |    )/.test(line) ? line.replace(/^(- |\d+\. |    ).*/, '$1item') : 'text';
  });
}

/** The document without its YAML front matter and without fenced code (neither is rendered as markdown). */
function renderedMarkdown(markdown: string): string {
  const body = markdown.slice(markdown.indexOf('\n---\n') + 5);
  return body.replace(/```[^\n]*\n[\s\S]*?\n```/g, '');
}

describe('event text cannot inject markdown, HTML or templates', () => {
  const hostile = render(HOSTILE);
  const plain = render('plain words');

  it('keeps the line structure of the same incident with harmless text', () => {
    expect(shape(hostile)).toEqual(shape(plain));
  });

  it('keeps every table row at its header column count', () => {
    const found = tables(hostile);
    expect(found.length).toBe(3);
    for (const table of found) {
      const columns = cellSeparators(table[0]!);
      for (const row of table) expect([row, cellSeparators(row)]).toEqual([row, columns]);
    }
  });

  it('emits no raw HTML tag in the markdown', () => {
    const body = renderedMarkdown(hostile);
    expect(body.toLowerCase()).not.toContain('<script');
    expect(body).toContain('&lt;script&gt;');
  });

  it('keeps the mermaid block closed and free of HTML', () => {
    const diagram = hostile.slice(hostile.indexOf('```mermaid'));
    expect(diagram.split('\n').filter((line) => line.startsWith('```'))).toEqual(['```mermaid', '```']);
    expect(diagram.toLowerCase()).not.toContain('<script');
  });

  it('shows `{{` literally instead of evaluating it', () => {
    expect(hostile).toContain('{{footer}}');
  });

  it('makes no wiki link out of event text', () => {
    expect(renderedMarkdown(hostile)).not.toContain('[[evil');
  });

  it('keeps the front matter to its eight single-line keys', () => {
    const frontMatter = hostile.split('\n---\n')[0]!.split('\n').slice(1);
    expect(frontMatter.map((line) => line.replace(/:.*/, ''))).toEqual(
      ['title', 'date', 'severity', 'services', 'tags', 'status', 'duration_minutes', 'author'],
    );
  });

  it('lets no raw tag into the front matter either', () => {
    const frontMatter = hostile.split('\n---\n')[0]!;
    expect(frontMatter).not.toMatch(/<[a-z/]/i);
  });

  it('keeps emoji intact', () => {
    expect(hostile).toContain('🔥');
  });
});
