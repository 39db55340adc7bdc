import * as z from 'zod';
import type { MappedEvents } from '../shared/event-drafts.js';
import type { MappingOptions } from '../shared/mapping-options.js';
import { parsePayload } from '../shared/parse-payload.js';
import { alertGroupSchema } from './alert-group-schema.js';
import { mapAlertGroup } from './map-alert-group.js';

/** Version 4 is the only webhook version Alertmanager has sent since 0.x; another would need a look before mapping. */
const alertmanagerSchema = alertGroupSchema.extend({ version: z.literal('4', { error: 'expected Alertmanager webhook version "4"' }) });

/** Prometheus Alertmanager webhook (webhook_config, version 4) -> alert.triggered / alert.resolved. */
export function mapAlertmanager(payload: unknown, options: MappingOptions): MappedEvents {
  const parsed = parsePayload(alertmanagerSchema, payload);
  if ('errors' in parsed) return parsed;
  return mapAlertGroup(parsed.value, { source: 'alertmanager', idPrefix: 'am' }, options);
}
