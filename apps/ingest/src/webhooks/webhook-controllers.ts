import { AlertmanagerWebhookController } from './alertmanager/alertmanager-webhook.controller.js';
import { CloudEventsController } from './cloudevents/cloudevents.controller.js';
import { GrafanaWebhookController } from './grafana/grafana-webhook.controller.js';
import { OpsgenieWebhookController } from './opsgenie/opsgenie-webhook.controller.js';
import { PagerDutyWebhookController } from './pagerduty/pagerduty-webhook.controller.js';

/** Controllers of the tool-specific webhooks (Alertmanager, Grafana, PagerDuty, Opsgenie, CloudEvents). */
export const WEBHOOK_CONTROLLERS: (new (...args: never[]) => unknown)[] = [
  AlertmanagerWebhookController,
  GrafanaWebhookController,
  PagerDutyWebhookController,
  OpsgenieWebhookController,
  CloudEventsController,
];
