import { buildRcaView, correlateLog, project } from '@app/domain';
import Handlebars from 'handlebars';
import { fixtureEvents } from '../../test/support/event-log.js';
import { checkRcaTemplate, loadTemplate, renderRca } from './index.js';

const incident = correlateLog(fixtureEvents()).incidents[0]!;
const view = buildRcaView(project(incident.id, incident.events), { preparedOn: '2025-04-06' });

describe('a custom template over the same view model', () => {
  it('renders the fields it names', () => {
    const template = '# {{{heading}}}\n{{#each keyMetrics}}\n* {{{text}}}\n{{/each}}\nBy {{{author}}}.\n';
    const expected = [`# ${view.heading}`, ...view.keyMetrics.map((line) => `* ${line.text}`), `By ${view.author}.`, ''].join('\n');
    expect(renderRca(view, template)).toBe(expected);
  });

  it('normalises CRLF templates to \\n and exactly one trailing newline', () => {
    expect(renderRca(view, '{{{date}}}\r\n{{{severity}}}\r\n\r\n\r\n')).toBe(`${view.date}\n${view.severity}\n`);
  });

  it('HTML-escapes double-stash fields, so only deliberate triple-stash is verbatim', () => {
    expect(renderRca(view, '{{mermaid.title}}|{{{mermaid.title}}}')).toBe(`${view.mermaid.title}|${view.mermaid.title}\n`);
    const withQuote = { ...view, title: 'a "b" <c>' };
    expect(renderRca(withQuote, '{{title}}')).toBe('a &quot;b&quot; &lt;c&gt;\n');
  });

  it('fails loudly, naming the template and the field, on a field the view lacks', () => {
    const render = () => renderRca(view, { name: 'mine.hbs', source: '{{{summary}}}\n{{{sumary}}}\n' });
    expect(render).toThrow(expect.objectContaining({ type: 'invalid-template' }));
    expect(render).toThrow('template mine.hbs: "sumary" not defined (line 2, column 4)');
  });

  it('reports a syntax error as an invalid template', () => {
    const render = () => renderRca(view, { name: 'broken.hbs', source: '{{#each timeline}}' });
    expect(render).toThrow(expect.objectContaining({ type: 'invalid-template' }));
    expect(render).toThrow(/broken\.hbs/);
  });

  it('cannot reach prototypes from a template', () => {
    expect(renderRca(view, '[{{lookup this "constructor"}}][{{__proto__}}]')).toBe('[][]\n');
  });

  it('does not see helpers registered on the global Handlebars', () => {
    Handlebars.registerHelper('shout', (text: string) => text.toUpperCase());
    try {
      expect(() => renderRca(view, '{{shout heading}}')).toThrow(/shout/);
    } finally {
      Handlebars.unregisterHelper('shout');
    }
  });

  it('can be checked up front: the default passes, a misspelt field fails', () => {
    expect(() => checkRcaTemplate(loadTemplate())).not.toThrow();
    expect(() => checkRcaTemplate('{{#each actionItems}}{{{onwer}}}{{/each}}')).toThrow(/"onwer" not defined/);
  });
});
