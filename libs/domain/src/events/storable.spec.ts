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
    ['nesting deeper than 32 levels', { ...valid, data: { text: 'x', deep: nested(5000) } }, expect.stringMatching(/^data\.deep(\.down)+$/)],
  ])('refuses %s, naming the field', (_case, input, path) => {
    expect(issuesOf(input)).toEqual([{ path, message: expect.any(String) }]);
  });

  it('keeps emoji (paired surrogates) and nesting up to the limit', () => {
    expect(parseEvent({ ...valid, data: { text: '🔥', deep: nested(20) } }).ok).toBe(true);
  });
});
