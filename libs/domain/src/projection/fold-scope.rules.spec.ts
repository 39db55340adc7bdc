import { FoldScope } from './fold-scope.js';

describe('FoldScope: lists of one fold run', () => {
  it('copies a list it did not create before changing it, then changes its own copy in place', () => {
    const scope = new FoldScope();
    const stored = Object.freeze(['a']) as readonly string[];
    const first = scope.append(stored, 'b');
    expect(stored).toEqual(['a']);
    expect(first).toEqual(['a', 'b']);
    expect(scope.append(first, 'c')).toBe(first);
    expect(first).toEqual(['a', 'b', 'c']);
  });

  it('keeps a list used as a set free of repeats, however often an item comes back between others', () => {
    const scope = new FoldScope();
    let firing: readonly string[] = [];
    for (const alert of ['fp1', 'fp2', 'fp2', 'fp3', 'fp1', 'fp3', 'fp2']) firing = scope.include(firing, alert);
    expect(firing).toEqual(['fp1', 'fp2', 'fp3']);
  });

  it('removes an item and lets it come back at the end; removing a missing one changes nothing', () => {
    const scope = new FoldScope();
    const stored = Object.freeze(['fp1', 'fp2', 'fp3']) as readonly string[];
    let firing = scope.exclude(stored, 'fp2');
    expect(stored).toEqual(['fp1', 'fp2', 'fp3']);
    expect(firing).toEqual(['fp1', 'fp3']);
    expect(scope.exclude(firing, 'fp9')).toBe(firing);
    firing = scope.include(firing, 'fp2');
    firing = scope.include(firing, 'fp2');
    firing = scope.exclude(firing, 'fp1');
    expect(firing).toEqual(['fp3', 'fp2']);
    expect(scope.include(firing, 'fp1')).toEqual(['fp3', 'fp2', 'fp1']);
  });
});
