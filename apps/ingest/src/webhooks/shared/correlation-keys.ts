import { createHash } from 'node:crypto';

/*
 * The keys of EVENTS.md ("Envelope: correlationKeys") that make one real incident seen by several tools
 * one incident. Alertmanager and Grafana notify PagerDuty and Opsgenie with the SHA-256 hex of the
 * notification's group key as the dedup key (PagerDuty `dedup_key`, shown by v3 webhooks as the
 * incident's `incident_key`) and as the Opsgenie alias, so all three name the same `dedup:` key.
 */

/** `dedup:<value>`, or nothing for an absent or blank value (the envelope wants 1-256 characters). */
export function dedupKey(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? `dedup:${trimmed}`.slice(0, 256) : undefined;
}

/** The key of an alert group: `dedup:<sha256 hex of groupKey>`, as its PagerDuty and Opsgenie notifications carry it. */
export const groupKeyCorrelation = (groupKey: string | undefined): string | undefined =>
  groupKey ? dedupKey(createHash('sha256').update(groupKey, 'utf8').digest('hex')) : undefined;

/** The `correlationKeys` field: the keys present, or absent when there are none. */
export function correlationKeys(...keys: (string | undefined)[]): string[] | undefined {
  const present = [...new Set(keys.filter((key): key is string => key !== undefined))];
  return present.length > 0 ? present : undefined;
}
