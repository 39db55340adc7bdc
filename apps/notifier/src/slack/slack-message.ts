import type { IncidentSummary } from '@app/domain';
import { incidentLinks } from '../notices/links.js';
import { clockTime, facts, incidentTitle } from '../notices/wording.js';

/** What an incident's Slack message shows beside its summary. */
export interface SlackMessageContext {
  mergedInto: string | null;
  draftVersion: number | null;
}

/** Slack's mrkdwn control characters (https://api.slack.com/reference/surfaces/formatting#escaping). */
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const MARK: Record<string, string> = { resolved: ':large_green_circle:', monitoring: ':large_yellow_circle:', mitigated: ':large_yellow_circle:' };

/**
 * An incident's one Slack message (chat.postMessage, then chat.update): its title, status, severity,
 * services and keys, the latest milestones and links to the workspace and the draft. `text` is the
 * notification and screen-reader fallback Slack asks for beside blocks.
 */
export function slackMessage(summary: IncidentSummary, context: SlackMessageContext, webUrl: string): { text: string; blocks: Record<string, unknown>[] } {
  const title = incidentTitle(summary);
  const mark = context.mergedInto ? ':twisted_rightwards_arrows:' : (MARK[summary.status] ?? ':red_circle:');
  const links = incidentLinks(webUrl, context.mergedInto ?? summary.id);
  const state = context.mergedInto ? `merged into ${context.mergedInto}` : summary.status;
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: `${title}`.slice(0, 150), emoji: true } },
    { type: 'section', fields: facts(summary).map((fact) => ({ type: 'mrkdwn', text: `*${fact.title}*\n${escape(fact.value)}` })) },
  ];
  if (summary.milestones.length > 0) {
    blocks.push({ type: 'context', elements: summary.milestones.map((m) => ({ type: 'mrkdwn', text: `${clockTime(m.at)} · ${escape(m.name)}` })) });
  }
  const draft = context.draftVersion ? `RCA draft v${context.draftVersion}` : 'RCA draft';
  blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `${mark} *${escape(state)}* · <${links.workspace}|Open in the workspace> · <${links.draft}|${draft}>` } });
  const text = `${summary.severity ? `[${summary.severity}] ` : ''}${title}: ${state} (${summary.services.join(', ') || 'no service'})`;
  return { text, blocks };
}
