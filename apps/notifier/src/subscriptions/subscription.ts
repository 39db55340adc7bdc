import type { IncidentSummary, NoticeType, Severity } from '@app/domain';

/** Where notices go: a subscription of OUTBOUND_WEBHOOKS_FILE (signed) or a Teams Workflows webhook. */
export interface Target {
  /** Names it in the delivery log, metrics and `?subscription=`: the file's `name`, or `teams-<n>`. */
  name: string;
  channel: 'webhook' | 'teams';
  url: string;
  /** The signing secret (`whsec_...`); Teams webhooks are not signed. */
  secret?: string;
  /** Notice types it receives; all of them when absent. */
  events?: readonly NoticeType[];
  /** Only incidents touching one of these services; any when absent. */
  services?: readonly string[];
  /** Only incidents of one of these severities; any when absent. */
  severities?: readonly Severity[];
}

/** Whether `target` wants a notice of `type` about an incident as `summary` tells it. */
export function wants(target: Target, type: NoticeType, summary: IncidentSummary): boolean {
  if (target.events && !target.events.includes(type)) return false;
  if (target.services && !summary.services.some((service) => target.services!.includes(service))) return false;
  if (target.severities && (summary.severity === null || !target.severities.includes(summary.severity))) return false;
  return true;
}

/** Teams Workflows webhooks, named by their position in TEAMS_WEBHOOK_URLS (the URL itself carries a signature). */
export const teamsTargets = (urls: readonly string[]): Target[] => urls.map((url, index) => ({ name: `teams-${index + 1}`, channel: 'teams', url }));
