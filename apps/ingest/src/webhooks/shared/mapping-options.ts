import type { IngestConfig } from '../../config.js';

/** What every mapper needs from configuration, kept apart from the config so mappers stay pure and testable. */
export interface MappingOptions {
  /** Labels (or tags) tried, in order, for a service name when the tool has no explicit one. */
  serviceLabels: readonly string[];
  /** A tool's service names onto ours, applied before normalisation. */
  serviceAliases: Readonly<Record<string, string>>;
}

export const mappingOptions = (config: IngestConfig): MappingOptions => ({
  serviceLabels: config.SERVICE_LABELS,
  serviceAliases: config.SERVICE_ALIASES,
});
