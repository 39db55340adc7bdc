import type { IncidentEvent } from './envelope.js';
import type { ValidationIssue } from './parse-event.js';

/**
 * The event ids ingest derives from the tools' webhooks (apps/ingest/src/webhooks/*), and the key
 * namespaces it derives for correlation (EVENTS.md, December additions). A native event (`POST
 * /v1/events`, a CloudEvent) using one could pre-empt the tool's own event: stored first, it would make
 * the real one a duplicate or a conflict, or link a derived key to an incident of the sender's choosing.
 * The shapes are exact, so ids that merely start alike (the example log's `am-7f3c1a9e-firing`) pass.
 */
export const TOOL_EVENT_IDS: readonly { tool: string; shape: RegExp }[] = [
  { tool: 'Alertmanager', shape: /^am-.+-(?:-?\d+)-(?:firing|resolved)$/ },
  { tool: 'Grafana', shape: /^grafana-.+-(?:-?\d+)-(?:firing|resolved)$/ },
  { tool: 'PagerDuty', shape: /^pagerduty-./ },
  { tool: 'Opsgenie', shape: /^opsgenie-./ },
  { tool: 'Jira Service Management', shape: /^jsm-./ },
  { tool: 'CloudEvents', shape: /^ce-[0-9a-f]{32}$/ },
  { tool: 'Slack', shape: /^slack-(?:message-)?[0-9a-f]{32}(?:-.*)?$/ },
];

/** `dedup:<hash>` (the notification group key shared with PagerDuty and Opsgenie), `labels:<name>=<value>,...`. */
export const TOOL_KEY_NAMESPACES: readonly string[] = ['dedup:', 'labels:'];

/** Why a natively sent event may not be taken as it is; empty when it may. */
export function reservedForTools(event: Pick<IncidentEvent, 'id' | 'incidentKey' | 'correlationKeys'>, options: { checkId?: boolean } = {}): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const idOwner = options.checkId === false ? undefined : TOOL_EVENT_IDS.find(({ shape }) => shape.test(event.id));
  if (idOwner) issues.push({ path: 'id', message: `has the shape of the ids ingest derives for ${idOwner.tool} webhooks; choose another id` });
  const keys: [string, string | undefined][] = [['incidentKey', event.incidentKey], ...(event.correlationKeys ?? []).map((key, index): [string, string] => [`correlationKeys.${index}`, key])];
  for (const [path, key] of keys) {
    const namespace = key && TOOL_KEY_NAMESPACES.find((prefix) => key.toLowerCase().startsWith(prefix));
    if (namespace) issues.push({ path, message: `the key namespace "${namespace}" is derived by ingest from the tools' webhooks; use another key` });
  }
  return issues;
}
