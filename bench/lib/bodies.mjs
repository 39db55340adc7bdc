// Request bodies for the HTTP benchmarks: valid envelopes of the benchmark mix (lib/events.mjs).
import { generateEvents } from './events.mjs';

/** { mode: 'batch' | 'single', perRequest, pool (requests), run } -> JSON strings. */
export function buildBodies({ mode, perRequest = 100, pool = 200, run = 'http' }) {
  const size = mode === 'batch' ? perRequest : 1;
  const events = generateEvents({ count: size * pool, run, lateShare: 0 });
  const bodies = [];
  for (let i = 0; i < pool; i += 1) {
    const slice = events.slice(i * size, (i + 1) * size);
    bodies.push(JSON.stringify(mode === 'batch' ? slice : slice[0]));
  }
  return bodies;
}
