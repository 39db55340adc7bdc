import { z } from 'zod';
import { correlationEnv } from '@app/domain';
import { bearerTokens, commonEnv, listenHost, loadConfig, port, positiveInt, readAccessEnv } from '@app/platform';

export const timelineConfigSchema = z.object({
  ...commonEnv,
  TIMELINE_PORT: port(3002),
  /** Unset: every interface once READ_TOKENS or ADMIN_TOKENS are configured, else loopback only. */
  TIMELINE_HOST: listenHost,
  ...readAccessEnv,
  ...correlationEnv,
  TIMELINE_CONSUMER_GROUP: z.string().min(1).default('aftermath-timeline'),
  DATABASE_POOL_SIZE: positiveInt(10),
  /** Readiness fails when a partition's batch has been retried this long (the partition is not moving). */
  CONSUMER_STALL_SECONDS: positiveInt(60),
  /** Bearer tokens for POST /v1/admin/*; when unset only local requests may rebuild. */
  ADMIN_TOKENS: bearerTokens(),
});

export type TimelineConfig = z.output<typeof timelineConfigSchema>;

export const TIMELINE_CONFIG = Symbol('TIMELINE_CONFIG');

/**
 * The consumer group's default carries KAFKA_TOPIC_PREFIX: deployments sharing a broker under different
 * prefixes must not share a group, or the group leader assigns only its own topic and the others starve.
 */
export const loadTimelineConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(timelineConfigSchema, env.TIMELINE_CONSUMER_GROUP ? env : { ...env, TIMELINE_CONSUMER_GROUP: `${env.KAFKA_TOPIC_PREFIX ?? ''}aftermath-timeline` });
