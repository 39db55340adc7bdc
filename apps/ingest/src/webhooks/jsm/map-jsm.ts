import type { MappedEvents } from '../shared/event-drafts.js';
import type { MappingOptions } from '../shared/mapping-options.js';
import { mapOpsgenie, type AlertActionSource } from '../opsgenie/map-opsgenie.js';

/*
 * Jira Service Management (Operations) is Opsgenie's successor: its outgoing Webhook integration sends
 * the same alert action data ("Alert action data", Atlassian's JSM documentation), so the mapping is
 * Opsgenie's, with its own source, ids (`jsm-...`) and incident keys (`jsm:<alertId>`). The correlation
 * key is the same `dedup:<alias>`, so an alert moved from Opsgenie to JSM still meets Alertmanager's.
 */
export const JSM: AlertActionSource = { source: 'jsm', product: 'Jira Service Management' };

export const mapJsm = (payload: unknown, options: MappingOptions): MappedEvents => mapOpsgenie(payload, options, JSM);
