import { diffLines } from 'diff';

export interface ChangedLine {
  kind: 'added' | 'removed';
  text: string;
}

/** What changed between two versions of a draft, line by line: only the added and removed lines. */
export function changedLines(before: string, after: string): ChangedLine[] {
  return diffLines(before, after).flatMap((part) => {
    if (!part.added && !part.removed) return [];
    const kind = part.added ? 'added' : 'removed';
    return part.value
      .replace(/\n$/, '')
      .split('\n')
      .map((text) => ({ kind, text }) as ChangedLine);
  });
}
