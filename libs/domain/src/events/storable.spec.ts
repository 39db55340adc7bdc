import { parseEvent } from './parse-event.js';

const valid = {
  id: 'e-1',
  type: 'note.added',
  occurredAt: '2025-04-05T15:28:00Z',
  source: 'api',
  service: 'order-service',
  data: { text: 'ok' },
};

const issuesOf = (input: unknown) => {
  const parsed = parseEvent(input);
  return parsed.ok ? [] : parsed.issues;
};

const nested = (depth: number) => {
  let value: unknown = 'leaf';
  for (let level = 0; level < depth; level += 1) value = { down: value };
  return value;
};

describe('parseEvent refuses what no store can carry', () => {
  it('accepts an ordinary event', () => {
    expect(parseEvent(valid).ok).toBe(true);
  });

  it.each([
    ['a year-0 occurredAt', { ...valid, occurredAt: '0000-01-01T00:00:00Z' }, 'occurredAt'],
    ['NUL in a text', { ...valid, data: { text: 'a\u0000b' } }, 'data.text'],
    ['an unpaired surrogate', { ...valid, data: { text: 'a\ud800b' } }, 'data.text'],
    ['NUL in a field name', { ...valid, data: { text: 'x', 'bad\u0000key': 1 } }, 'data.bad\u0000key'],
    ['Infinity deep in loose data (JSON 1e999)', { ...valid, data: { text: 'x', extra: { values: [1, Infinity] } } }, 'data.extra.values.1'],
    ['NaN in loose data', { ...valid, data: { text: 'x', ratio: NaN } }, 'data.ratio'],
    ['nesting deeper than 32 levels', { ...valid, data: { text: 'x', deep: nested(5000) } }, expect.stringMatching(/^data\.deep(\.down)+$/)],
  ])('refuses %s, naming the field', (_case, input, path) => {
    expect(issuesOf(input)).toEqual([{ path, message: expect.any(String) }]);
  });

  it('keeps emoji (paired surrogates) and nesting up to the limit', () => {
    expect(parseEvent({ ...valid, data: { text: '🔥', deep: nested(20) } }).ok).toBe(true);
  });
});

describe('parseEvent bounds what is indexed or rendered, and keeps ids and keys printable', () => {
  const long = (length: number) => 'x'.repeat(length);
  it.each([
    ['a root-cause category of 4 KB', { ...valid, type: 'root_cause.identified', data: { summary: 's', category: long(4096) } }, 'data.category'],
    ['a title over 1024 characters', { ...valid, type: 'incident.declared', data: { title: long(1025) } }, 'data.title'],
    ['an alert name over 256', { ...valid, type: 'alert.triggered', data: { alertName: long(257) } }, 'data.alertName'],
    ['a label value over 1024', { ...valid, type: 'alert.triggered', data: { alertName: 'a', labels: { env: long(1025) } } }, 'data.labels.env'],
    ['an actor over 256', { ...valid, actor: long(257) }, 'actor'],
    ['a note over 8192', { ...valid, data: { text: long(8193) } }, 'data.text'],
    ['a line break in the id', { ...valid, id: 'e-1\nX-Injected: 1' }, 'id'],
    ['a bidi override in the incidentKey', { ...valid, incidentKey: 'INC-\u202e1' }, 'incidentKey'],
    ['a C1 control in a correlation key', { ...valid, correlationKeys: ['ok', 'bad\u0085'] }, 'correlationKeys.1'],
    ['a control character in a label name', { ...valid, type: 'alert.triggered', data: { alertName: 'a', labels: { 'e\u0007nv': 'x' } } }, 'data.labels.e\u0007nv'],
  ])('refuses %s, naming the field', (_case, input, path) => {
    expect(issuesOf(input).map((issue) => issue.path)).toContain(path);
  });

  it('refuses more than 128 labels', () => {
    const labels = Object.fromEntries(Array.from({ length: 129 }, (_, i) => [`l${i}`, 'v']));
    expect(issuesOf({ ...valid, type: 'alert.triggered', data: { alertName: 'a', labels } })).toEqual([{ path: 'data.labels', message: 'at most 128 labels' }]);
  });

  it('accepts text at each bound', () => {
    const input = { ...valid, actor: long(256), type: 'root_cause.identified', data: { summary: long(8192), category: long(256) } };
    expect(parseEvent(input).ok).toBe(true);
  });
});
