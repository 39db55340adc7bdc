/**
 * Consecutive chunks whose sizes add up to at most `limit` (a single larger item gets a chunk of its own):
 * produce requests that fit the broker's limits, in the original order.
 */
export function chunksOfSize<T>(items: readonly T[], limit: number, sizeOf: (item: T) => number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let total = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (current.length > 0 && total + size > limit) {
      chunks.push(current);
      current = [];
      total = 0;
    }
    current.push(item);
    total += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
