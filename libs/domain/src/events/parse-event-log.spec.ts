import { parseEventLog } from '../index.js';

describe('parseEventLog', () => {
  it('parses lines, skips blanks and reports bad lines by number', () => {
    const good = JSON.stringify({ id: 'a', type: 'page.sent', occurredAt: '2025-04-05T15:30:00Z', source: 'api', service: 's' });
    const log = [good, '', '{not json', JSON.stringify({ id: 'b' }), `${good}\r`].join('\n');
    const parsed = parseEventLog(log);
    expect(parsed.events.map((event) => event.id)).toEqual(['a', 'a']);
    expect(parsed.errors.map((error) => error.line)).toEqual([3, 4]);
    expect(parsed.errors[0]?.issues).toEqual([{ path: '', message: 'not valid JSON' }]);
  });
});
