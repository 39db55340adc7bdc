import { z } from 'zod';
import { bearerTokens, commaList, commonEnv, listenHost, loadConfig, messageOf, port, positiveInt, readAccessEnv } from '@app/platform';
import { readSubscriptions } from './subscriptions/subscriptions-file.js';
import { teamsTargets, type Target } from './subscriptions/subscription.js';

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);
const positiveNumber = (fallback: number) => z.preprocess(emptyAsUndefined, z.coerce.number().positive().default(fallback));
const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http or https URL' });

/** The subscriptions file, read and validated at start-up: a mistake stops start-up naming the field. */
const subscriptionsFile = z.preprocess(
  emptyAsUndefined,
  z
    .string()
    .optional()
    .transform((path, context): Target[] => {
      if (path === undefined) return [];
      try {
        return readSubscriptions(path);
      } catch (error) {
        context.addIssue({ code: 'custom', message: messageOf(error) });
        return z.NEVER;
      }
    }),
);

export const notifierConfigSchema = z.object({
  ...commonEnv,
  NOTIFIER_PORT: port(3005),
  /** Unset: every interface once READ_TOKENS or ADMIN_TOKENS are configured, else loopback only. */
  NOTIFIER_HOST: listenHost,
  ...readAccessEnv,
  /** Operators: POST /v1/deliveries/redeliveries (what `npm run deliveries -- redeliver` calls). */
  ADMIN_TOKENS: bearerTokens(),
  NOTIFIER_CONSUMER_GROUP: z.string().min(1).default('aftermath-notifier'),
  CONSUMER_STALL_SECONDS: positiveInt(60),
  /** Subscriptions (YAML or JSON): url, secret, events, optional services and severities. */
  OUTBOUND_WEBHOOKS_FILE: subscriptionsFile,
  /** A delivery is retried this long after it was queued, then given up (status `failed`). */
  OUTBOUND_RETRY_HOURS: positiveNumber(24),
  /** The first retry's delay; each next one doubles, up to OUTBOUND_RETRY_MAX_SECONDS. */
  OUTBOUND_RETRY_FIRST_SECONDS: positiveNumber(5),
  OUTBOUND_RETRY_MAX_SECONDS: positiveNumber(3600),
  /** How long one request to a receiver may take (connect, send, answer). */
  OUTBOUND_TIMEOUT_SECONDS: positiveNumber(10),
  /** The workspace's address as people reach it, for links in messages. */
  PUBLIC_WEB_URL: z.preprocess(emptyAsUndefined, httpUrl.default('http://127.0.0.1:3004').transform((url) => url.replace(/\/+$/, ''))),
  SLACK_BOT_TOKEN: z.preprocess(emptyAsUndefined, z.string().regex(/^xox[a-z]-/, 'expected a Slack bot token (xoxb-...)').optional()),
  SLACK_API_URL: z.preprocess(emptyAsUndefined, httpUrl.default('https://slack.com/api/')),
  /** The channel of an incident no channel is linked to (a channel id such as C0123456789). */
  SLACK_INCIDENTS_CHANNEL: z.preprocess(emptyAsUndefined, z.string().regex(/^[A-Z0-9]{2,}$/, 'expected a channel id such as C0123456789').optional()),
  /** Teams Workflows webhook URLs: each receives an Adaptive Card per notice. */
  TEAMS_WEBHOOK_URLS: commaList().pipe(z.array(httpUrl)).transform(teamsTargets),
});

export type NotifierConfig = z.output<typeof notifierConfigSchema>;

export const NOTIFIER_CONFIG = Symbol('NOTIFIER_CONFIG');

/** As for the other consumers, the group's default carries KAFKA_TOPIC_PREFIX so prefixed deployments never share a group. */
export const loadNotifierConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(notifierConfigSchema, env.NOTIFIER_CONSUMER_GROUP ? env : { ...env, NOTIFIER_CONSUMER_GROUP: `${env.KAFKA_TOPIC_PREFIX ?? ''}aftermath-notifier` });

/** Every place notices go: the subscriptions, then the Teams webhooks. */
export const targetsOf = (config: NotifierConfig): Target[] => [...config.OUTBOUND_WEBHOOKS_FILE, ...config.TEAMS_WEBHOOK_URLS];
