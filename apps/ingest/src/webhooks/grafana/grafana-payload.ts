import * as z from 'zod';
import { alertGroupSchema, alertSchema } from '../alertmanager/alert-group-schema.js';

/*
 * Grafana unified alerting's webhook contact point: the Alertmanager shape (version "1") plus
 * Grafana's own fields. Only the Alertmanager fields are mapped; the rest are declared, optional.
 */
const grafanaAlertSchema = alertSchema.extend({
  values: z.record(z.string(), z.number().nullable()).nullish(),
  valueString: z.string().optional(),
  silenceURL: z.string().optional(),
  dashboardURL: z.string().optional(),
  panelURL: z.string().optional(),
  imageURL: z.string().optional(),
});

export const grafanaPayloadSchema = alertGroupSchema.extend({
  alerts: z.array(grafanaAlertSchema),
  orgId: z.number().optional(),
  title: z.string().optional(),
  state: z.string().optional(),
  message: z.string().optional(),
});
