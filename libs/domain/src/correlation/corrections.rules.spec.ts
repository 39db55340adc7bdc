import { finalIncident, possibleDuplicates } from '../index.js';

describe('finalIncident', () => {
  it('follows a chain of merges to the incident that answers now', () => {
    const aliases = new Map([
      ['inc-a', 'inc-b'],
      ['inc-b', 'inc-c'],
    ]);
    expect(finalIncident(aliases, 'inc-a')).toBe('inc-c');
    expect(finalIncident(aliases, 'inc-c')).toBe('inc-c');
    expect(finalIncident(aliases, 'inc-x')).toBe('inc-x');
  });

  it('stops on a cycle that stored aliases may hold (correlation never makes one), within one turn of it', () => {
    const aliases = new Map([
      ['inc-a', 'inc-b'],
      ['inc-b', 'inc-a'],
    ]);
    expect(['inc-a', 'inc-b']).toContain(finalIncident(aliases, 'inc-a'));
  });
});

describe('possibleDuplicates', () => {
  it('lists, for each incident, the others sharing a key with it, sorted by id, each once', () => {
    const duplicates = possibleDuplicates([
      { id: 'inc-c', keys: ['K1', 'K2'] },
      { id: 'inc-a', keys: ['K1'] },
      { id: 'inc-b', keys: ['K2', 'K1'] },
      { id: 'inc-d', keys: ['K3'] },
    ]);
    expect(Object.fromEntries(duplicates)).toEqual({
      'inc-c': ['inc-a', 'inc-b'],
      'inc-a': ['inc-b', 'inc-c'],
      'inc-b': ['inc-a', 'inc-c'],
      'inc-d': [],
    });
  });
});
