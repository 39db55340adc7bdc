import type { MappedEvents } from './shared/event-drafts.js';
import type { MappingOptions } from './shared/mapping-options.js';
import { mapAlertmanager } from './alertmanager/map-alertmanager.js';
import { mapGrafana } from './grafana/map-grafana.js';
import { mapJsm } from './jsm/map-jsm.js';
import { mapOpsgenie } from './opsgenie/map-opsgenie.js';
import { mapPagerDuty } from './pagerduty/map-pagerduty.js';

/** The tool webhooks whose bodies can be kept aside and replayed, each with its mapping (CloudEvents is our own API: 400). */
export const WEBHOOK_MAPPERS = {
  alertmanager: mapAlertmanager,
  grafana: mapGrafana,
  pagerduty: mapPagerDuty,
  opsgenie: mapOpsgenie,
  jsm: mapJsm,
} satisfies Record<string, (payload: unknown, options: MappingOptions) => MappedEvents>;

export type WebhookSource = keyof typeof WEBHOOK_MAPPERS;

export const isWebhookSource = (name: string): name is WebhookSource => Object.hasOwn(WEBHOOK_MAPPERS, name);
