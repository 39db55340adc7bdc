import * as z from 'zod';
import { alertGroupSchema } from '../alertmanager/alert-group-schema.js';
import { optional } from '../shared/parse-payload.js';

/*
 * Grafana unified alerting's webhook contact point: the Alertmanager shape (version "1") plus Grafana's
 * own fields (`orgId`, `title`, `state`, `message`; per alert `values`, `valueString`, `silenceURL`,
 * `dashboardURL`, `panelURL`, `imageURL`), none of them mapped, so none of them can make it unusable.
 * Alerts are parsed one by one with the Alertmanager alert schema (map-alert-group.ts).
 */
export const grafanaPayloadSchema = alertGroupSchema.extend({
  orgId: optional(z.number()),
  title: optional(z.string()),
  state: optional(z.string()),
  message: optional(z.string()),
});
