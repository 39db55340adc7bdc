import type { MappingOptions } from './mapping-options.js';

/**
 * Service names arrive as the tools spell them ("Checkout API", "payments_svc", "job=node"); the
 * envelope wants `^[a-z0-9][a-z0-9._-]{0,127}$`. Lowercase, runs of other characters become one
 * '-', and leading/trailing separators go, so "Checkout API" and "checkout-api" are one service.
 */
export function normaliseServiceName(raw: string): string | undefined {
  const name = raw
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 128)
    .replace(/-+$/, '');
  return name === '' ? undefined : name;
}

/** Alias lookup by the name as sent, then by its normalised form, so operators can write either. */
export function resolveService(raw: string | undefined, options: MappingOptions): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const trimmed = raw.trim();
  const normalised = normaliseServiceName(trimmed);
  const aliased = options.serviceAliases[trimmed] ?? (normalised ? options.serviceAliases[normalised] : undefined);
  return normaliseServiceName(aliased ?? trimmed);
}

/** The label names to try for a service, `service` always first, then the configured fallbacks. */
export const serviceLabelOrder = (options: MappingOptions): string[] => [...new Set(['service', ...options.serviceLabels])];
