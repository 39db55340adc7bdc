/** Slack mrkdwn treats `&`, `<` and `>` as markup; text people typed is echoed back escaped. */
export const escapeMrkdwn = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The incident's page in the workspace (apps/web), as a Slack link labelled with the reference. */
export function incidentLink(webUrl: string, ref: string): string {
  const url = `${webUrl.replace(/\/+$/, '')}/incidents/${encodeURIComponent(ref)}`;
  return `<${url}|${escapeMrkdwn(ref)}>`;
}

/** The actor of every event a Slack user records (INTERFACES.md). */
export const slackActor = (userName: string) => `slack:${userName}`;

/** Events recorded through Slack carry this `source`. */
export const SLACK_SOURCE = 'slack';
