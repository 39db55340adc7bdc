import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

export const EXAMPLE_LOG_PATH = fixture('order-service-cache-bug.ndjson');
export const REFERENCE_RCA_PATH = fixture('rca-2025-04-05-cache-invalidation-bug-order-service.md');

/** The example log's envelopes, as a producer would send them. */
export function exampleEvents(): Record<string, unknown>[] {
  return readFileSync(EXAMPLE_LOG_PATH, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

export const referenceRca = () => readFileSync(REFERENCE_RCA_PATH, 'utf8');
