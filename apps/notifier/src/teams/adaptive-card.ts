import { incidentLinks } from '../notices/links.js';
import type { Notice } from '../notices/notice.js';
import { clockTime, facts, HEADLINES, incidentTitle } from '../notices/wording.js';

/** The headline's colour (Adaptive Card `color`): open incidents draw attention, resolutions are good news. */
const COLOUR: Record<Notice['type'], string> = {
  'incident.opened': 'Attention',
  'incident.updated': 'Warning',
  'incident.resolved': 'Good',
  'incident.merged': 'Default',
  'rca.drafted': 'Accent',
};

/**
 * The body a Teams Workflows webhook takes ("Post to a channel when a webhook request is received"): a
 * message with one Adaptive Card 1.4 attachment. Kept readable on a phone: one column of wrapped text
 * blocks and fact sets, no wide layouts, at most two buttons.
 */
export function teamsMessage(notice: Notice, webUrl: string): Record<string, unknown> {
  const { summary, details } = notice;
  const links = incidentLinks(webUrl, details.mergedInto ?? notice.incidentId);
  const headline = details.draft ? `${HEADLINES[notice.type]}: version ${details.draft.version}` : HEADLINES[notice.type];
  const body: Record<string, unknown>[] = [
    { type: 'TextBlock', text: headline, weight: 'Bolder', color: COLOUR[notice.type], wrap: true, spacing: 'None' },
    { type: 'TextBlock', text: incidentTitle(summary), size: 'Large', weight: 'Bolder', wrap: true, spacing: 'Small' },
    ...(details.mergedInto ? [{ type: 'TextBlock', text: `Merged into ${details.mergedInto}`, wrap: true }] : []),
    { type: 'FactSet', facts: facts(summary) },
  ];
  if (summary.milestones.length > 0) {
    body.push({ type: 'TextBlock', text: 'Latest milestones', weight: 'Bolder', wrap: true, spacing: 'Medium' });
    body.push({ type: 'FactSet', facts: summary.milestones.map((m) => ({ title: clockTime(m.at), value: m.name })) });
  }
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          msteams: { width: 'Full' },
          fallbackText: `${headline}: ${incidentTitle(summary)} (${summary.status})`,
          body,
          actions: [
            { type: 'Action.OpenUrl', title: 'Open incident', url: links.workspace },
            { type: 'Action.OpenUrl', title: 'RCA draft', url: links.draft },
          ],
        },
      },
    ],
  };
}
