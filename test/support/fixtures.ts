import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

export const EXAMPLE_LOG_PATH = fixture('order-service-cache-bug.ndjson');
export const REFERENCE_RCA_PATH = fixture('rca-2025-04-05-cache-invalidation-bug-order-service.md');

/** An NDJSON log's envelopes, as a producer would send them. */
function envelopesIn(path: string): Record<string, unknown>[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The example log's envelopes, as a producer would send them. */
export const exampleEvents = () => envelopesIn(EXAMPLE_LOG_PATH);

export const referenceRca = () => readFileSync(REFERENCE_RCA_PATH, 'utf8');

/** A log with an impact start, a retracted wrong milestone and two incidents merged into one. */
export const CORRECTIONS_LOG_PATH = fixture('payments-outage-corrected.ndjson');
export const CORRECTIONS_RCA_PATH = fixture('rca-2025-06-12-expired-card-network-certificate-payments-api.md');

export const correctionsEvents = () => envelopesIn(CORRECTIONS_LOG_PATH);

export const correctionsRca = () => readFileSync(CORRECTIONS_RCA_PATH, 'utf8');

/**
 * A database outage storm (docs/correlation.md, "Worked example: a database outage"): postgres-orders goes
 * down at 10:00 and four services that depend on it alert within three minutes, billing and search-indexer
 * alert things unrelated in between; the database is paged and acknowledged; every alert resolves by 10:45.
 */
export const STORM_LOG_PATH = fixture('database-outage-storm.ndjson');
export const stormEvents = () => envelopesIn(STORM_LOG_PATH);
/** The setting that makes the outage one incident. */
export const STORM_SERVICE_GROUPS = 'orders-db=postgres-orders,orders-api,checkout,cart,search';
