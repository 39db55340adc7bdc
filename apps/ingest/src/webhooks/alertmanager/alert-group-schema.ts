import * as z from 'zod';

/*
 * The Alertmanager webhook payload (webhook_config, version 4), which Grafana's webhook contact point
 * extends. Fields we map are validated strictly; the rest are declared for documentation and kept
 * optional; unknown fields of newer versions are dropped (zod objects strip by default), never refused.
 */
const stringMap = z.record(z.string(), z.string());
const timestamp = z.iso.datetime({ offset: true, error: 'expected an RFC 3339 timestamp' });

export const alertSchema = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: stringMap,
  annotations: stringMap.default({}),
  startsAt: timestamp,
  /** `0001-01-01T00:00:00Z` while firing. */
  endsAt: z.string().optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().min(1),
});

export const alertGroupSchema = z.object({
  version: z.string().optional(),
  groupKey: z.string().optional(),
  truncatedAlerts: z.number().optional(),
  status: z.enum(['firing', 'resolved']).optional(),
  receiver: z.string().optional(),
  groupLabels: stringMap.optional(),
  commonLabels: stringMap.optional(),
  commonAnnotations: stringMap.optional(),
  externalURL: z.string().optional(),
  alerts: z.array(alertSchema),
});

export type Alert = z.output<typeof alertSchema>;
export type AlertGroup = z.output<typeof alertGroupSchema>;
