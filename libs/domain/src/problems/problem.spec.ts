import { invalidConfiguration, invalidRequest, isProblem, messageOf, notFound, Problem, PROBLEM_TYPES, problemTypeUri, serviceUnavailable } from './problem.js';

describe('the error family', () => {
  it('gives each problem its type, status and title from one table', () => {
    const missing = notFound('no incident INC-1');
    expect(missing).toMatchObject({ type: 'not-found', status: 404, title: 'Not Found', detail: 'no incident INC-1', message: 'no incident INC-1' });
    expect(missing).toBeInstanceOf(Error);
    expect(new Set(Object.keys(PROBLEM_TYPES).map((type) => problemTypeUri(type as keyof typeof PROBLEM_TYPES))).size).toBe(Object.keys(PROBLEM_TYPES).length);
    expect(problemTypeUri('conflict')).toBe('urn:problem-type:aftermath:conflict');
  });

  it('names the one failing field in the detail of an invalid request, else counts them', () => {
    expect(invalidRequest([{ path: 'occurredAt', message: 'not RFC 3339' }])).toMatchObject({ status: 400, detail: 'occurredAt: not RFC 3339', errors: [{ path: 'occurredAt' }] });
    expect(invalidRequest([{ path: '', message: 'expected an object' }]).detail).toBe('(body): expected an object');
    expect(invalidRequest([{ path: 'a', message: 'x' }, { path: 'b', message: 'y' }]).detail).toBe('2 fields are invalid');
    expect(notFound('x').errors).toBeUndefined();
  });

  it('keeps what caused a problem, and says configuration problems on one line naming the variable', () => {
    const cause = new Error('ECONNREFUSED');
    expect(serviceUnavailable('Kafka cannot take the events now', cause).cause).toBe(cause);
    expect(invalidConfiguration('LOG_LEVEL="loud": invalid option').detail).toBe('Invalid configuration: LOG_LEVEL="loud": invalid option');
  });

  it('tells problems by type, and anything thrown by its message', () => {
    const problem = serviceUnavailable('later');
    expect([isProblem(problem), isProblem(problem, 'service-unavailable'), isProblem(problem, 'not-found'), isProblem(new Error('x'))]).toEqual([true, true, false, false]);
    expect(new Problem('invalid-template', 'template x: bad').name).toBe('Problem(invalid-template)');
    expect([messageOf(new TypeError('boom')), messageOf('a string'), messageOf(undefined)]).toEqual(['boom', 'a string', 'undefined']);
  });
});
