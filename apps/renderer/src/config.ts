import { z } from 'zod';
import { commonEnv, loadConfig, port, positiveInt } from '@app/platform';

const optionalPath = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());

export const rendererConfigSchema = z.object({
  ...commonEnv,
  RENDERER_PORT: port(3003),
  RENDERER_HOST: z.string().default('0.0.0.0'),
  RENDERER_CONSUMER_GROUP: z.string().min(1).default('aftermath-renderer'),
  /** Readiness fails when a partition's batch has been retried this long (the partition is not moving). */
  CONSUMER_STALL_SECONDS: positiveInt(60),
  /** When set, every new draft is also written there as `<date>-<slug>.md` (an Obsidian-style vault). */
  RCA_OUTPUT_DIR: optionalPath,
  /** A custom Handlebars RCA template (docs/templates.md); the default one otherwise. */
  RCA_TEMPLATE: optionalPath,
});

export type RendererConfig = z.output<typeof rendererConfigSchema>;

export const RENDERER_CONFIG = Symbol('RENDERER_CONFIG');

/** As for the timeline, the consumer group's default carries KAFKA_TOPIC_PREFIX so prefixed deployments never share a group. */
export const loadRendererConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(rendererConfigSchema, env.RENDERER_CONSUMER_GROUP ? env : { ...env, RENDERER_CONSUMER_GROUP: `${env.KAFKA_TOPIC_PREFIX ?? ''}aftermath-renderer` });
