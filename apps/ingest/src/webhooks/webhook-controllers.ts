/** Controllers of the tool-specific webhooks (Alertmanager, Grafana, PagerDuty, Opsgenie, CloudEvents). */
export const WEBHOOK_CONTROLLERS: (new (...args: never[]) => unknown)[] = [];
