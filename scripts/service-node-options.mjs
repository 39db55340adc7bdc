// The V8 heap limits every Aftermath service runs with: `npm start`, the `start:*` scripts, the Docker
// image, the benchmarks and the chaos run. Left to itself, V8 sizes the heap for the machine's memory and
// lets garbage pile up long before collecting it; with these limits each service stays within the
// memory target at full load for the same throughput (figures: docs/benchmarks.md, "Heap limits"). The
// live data is far smaller: one incident of 100,000 events re-projects and renders well within them
// (docs/operations.md, "Memory").
//
// package.json and the Dockerfile repeat the value (they cannot import it);
// test/deployment/service-node-options.spec.ts keeps the copies equal. A NODE_OPTIONS set by the
// operator replaces these defaults.
export const SERVICE_NODE_OPTIONS = '--max-old-space-size=160 --max-semi-space-size=8';

/** `env` for a service process: NODE_OPTIONS as the operator set it, else the defaults above. */
export function serviceEnvironment(env = process.env) {
  return env.NODE_OPTIONS ? env : { ...env, NODE_OPTIONS: SERVICE_NODE_OPTIONS };
}
