import { AlertmanagerWebhookController } from './alertmanager/alertmanager-webhook.controller.js';
import { CloudEventsController } from './cloudevents/cloudevents.controller.js';
import { DeadLetterPublisher } from './dead-letters/dead-letter-publisher.js';
import { WebhookReplayController } from './dead-letters/replay.controller.js';
import { StoredLetters } from './dead-letters/stored-letter.js';
import { GrafanaWebhookController } from './grafana/grafana-webhook.controller.js';
import { JsmWebhookController } from './jsm/jsm-webhook.controller.js';
import { OpsgenieWebhookController } from './opsgenie/opsgenie-webhook.controller.js';
import { PagerDutyWebhookController } from './pagerduty/pagerduty-webhook.controller.js';
import { WebhookIntake } from './shared/webhook-intake.js';

/** Controllers of the tool-specific webhooks (Alertmanager, Grafana, PagerDuty, Opsgenie, JSM, CloudEvents) and their replay. */
export const WEBHOOK_CONTROLLERS: (new (...args: never[]) => unknown)[] = [
  AlertmanagerWebhookController,
  GrafanaWebhookController,
  PagerDutyWebhookController,
  OpsgenieWebhookController,
  JsmWebhookController,
  CloudEventsController,
  WebhookReplayController,
];

/** What the webhook controllers need besides the event publisher: the mapping tail, the dead-letter producer, the stored letters replays read. */
export const WEBHOOK_PROVIDERS = [WebhookIntake, DeadLetterPublisher, StoredLetters];
