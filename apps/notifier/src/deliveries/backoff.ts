/**
 * The wait before the next attempt after `failures` failed ones: `first`, doubling each time, at most `max`
 * seconds, less up to a tenth at random so that receivers coming back are not hit by every queue at once.
 */
export function retryDelaySeconds(failures: number, first: number, max: number, random = Math.random()): number {
  const delay = Math.min(max, first * 2 ** Math.max(0, failures - 1));
  return delay * (1 - random / 10);
}
