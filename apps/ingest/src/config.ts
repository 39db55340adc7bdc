import { z } from 'zod';
import { bearerTokens, commaList, commonEnv, listenHost, loadConfig, port, positiveInt } from '@app/platform';

const aliasMap = z.preprocess(
  (value) => (value === '' ? undefined : value),
  z
    .string()
    .default('')
    .transform((text, ctx) => {
      const aliases: Record<string, string> = {};
      for (const pair of text.split(',').map((p) => p.trim()).filter(Boolean)) {
        const [from, to, ...rest] = pair.split('=');
        if (!from || !to || rest.length > 0) {
          ctx.addIssue({ code: 'custom', message: `expected name=service pairs, got "${pair}"` });
          return z.NEVER;
        }
        aliases[from.trim()] = to.trim();
      }
      return aliases;
    }),
);

/** Without a regular expression: `/\/+$/` backtracks quadratically on a run of slashes. */
function withoutTrailingSlashes(url: string): string {
  let end = url.length;
  while (end > 0 && url[end - 1] === '/') end--;
  return url.slice(0, end);
}

export const ingestConfigSchema = z.object({
  ...commonEnv,
  INGEST_PORT: port(3001),
  /** Unset: every interface once tokens or webhook secrets are configured, else loopback only. */
  INGEST_HOST: listenHost,
  INGEST_TOKENS: bearerTokens(),
  /** Operators' tokens, as on the timeline: the replay routes want one (unset: local requests only). */
  ADMIN_TOKENS: bearerTokens(),
  /**
   * The timeline, where the replay routes read the dead letter they are asked to replay (only what was kept
   * aside is replayed); the default follows TIMELINE_PORT, as `npm run dead-letters` does.
   */
  TIMELINE_URL: z
    .string()
    .default('http://127.0.0.1:3002')
    .refine((url) => /^https?:\/\/[^/]+/.test(url), 'expected an http(s) URL such as http://127.0.0.1:3002')
    .transform(withoutTrailingSlashes),
  PAGERDUTY_WEBHOOK_SECRETS: commaList(),
  /** Comma-separated like PAGERDUTY_WEBHOOK_SECRETS: during a rotation the old and the new secret are both accepted. */
  GRAFANA_WEBHOOK_SECRET: commaList(),
  /** Header Grafana's contact point puts the HMAC in; Grafana's default name unless the contact point changed it. */
  GRAFANA_WEBHOOK_SIGNATURE_HEADER: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.string().default('X-Grafana-Alerting-Signature'),
  ),
  /**
   * The contact point's "Timestamp Header", when one is set there (Grafana has no default): the signature
   * then covers `timestamp:body` and stale timestamps are refused as replays.
   */
  GRAFANA_WEBHOOK_TIMESTAMP_HEADER: z.string().default(''),
  /** Labels tried, in order, for an alert's service when it has no `service` label. */
  SERVICE_LABELS: commaList('service,job,app'),
  /** `name=service` pairs mapping a tool's service names onto ours. */
  SERVICE_ALIASES: aliasMap,
  /** The Slack app's signing secret; when set, ingest answers Slack at /v1/slack/* (docs/slack.md). */
  SLACK_SIGNING_SECRET: z.string().default(''),
  /** The slash command as configured in the Slack app (the manifest uses /incident). */
  SLACK_COMMAND: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.string().regex(/^\/[a-z0-9_-]{1,31}$/, 'expected a slash command such as /incident (lowercase, at most 32 characters)').default('/incident'),
  ),
  /** Where people open the incident workspace (apps/web); Slack replies link to <WEB_URL>/incidents/<ref>. */
  WEB_URL: z.preprocess((value) => (value === '' ? undefined : value), z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).default('http://localhost:3004')),
  /** Events dated more than this after their receipt are refused (a sender's clock or a typo in the year). */
  MAX_CLOCK_SKEW_MINUTES: positiveInt(60),
});

export type IngestConfig = z.output<typeof ingestConfigSchema>;

export const INGEST_CONFIG = Symbol('INGEST_CONFIG');

export const loadIngestConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(ingestConfigSchema, env.TIMELINE_URL ? env : { ...env, TIMELINE_URL: `http://127.0.0.1:${env.TIMELINE_PORT || 3002}` });
