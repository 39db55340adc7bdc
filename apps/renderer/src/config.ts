import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { z } from 'zod';
import { commonEnv, listenHost, loadConfig, messageOf, port, positiveInt, readAccessEnv } from '@app/platform';

const optionalPath = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());

/** Why this process cannot write files into `folder` (created when missing, as the first draft would), or null. */
export function unwritableFolderReason(folder: string): string | null {
  try {
    mkdirSync(folder, { recursive: true });
    if (!statSync(folder).isDirectory()) return 'not a folder';
    accessSync(folder, constants.W_OK);
    return null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? messageOf(error);
  }
}

/** A folder checked at start-up like every other variable: existing or creatable, and writable. */
const writableFolder = optionalPath.superRefine((folder, context) => {
  const reason = folder === undefined ? null : unwritableFolderReason(folder);
  if (reason) context.addIssue({ code: 'custom', message: `expected a folder this process can create and write to (${reason})` });
});

export const rendererConfigSchema = z.object({
  ...commonEnv,
  RENDERER_PORT: port(3003),
  /** Unset: every interface once READ_TOKENS are configured, else loopback only. */
  RENDERER_HOST: listenHost,
  ...readAccessEnv,
  RENDERER_CONSUMER_GROUP: z.string().min(1).default('aftermath-renderer'),
  /** Readiness fails when a partition's batch has been retried this long (the partition is not moving). */
  CONSUMER_STALL_SECONDS: positiveInt(60),
  /** When set, every new draft is also written there as `<date>-<slug>.md` (an Obsidian-style vault). */
  RCA_OUTPUT_DIR: writableFolder,
  /** A custom Handlebars RCA template (docs/templates.md); the default one otherwise. */
  RCA_TEMPLATE: optionalPath,
});

export type RendererConfig = z.output<typeof rendererConfigSchema>;

export const RENDERER_CONFIG = Symbol('RENDERER_CONFIG');

/** As for the timeline, the consumer group's default carries KAFKA_TOPIC_PREFIX so prefixed deployments never share a group. */
export const loadRendererConfig = (env: NodeJS.ProcessEnv = process.env) =>
  loadConfig(rendererConfigSchema, env.RENDERER_CONSUMER_GROUP ? env : { ...env, RENDERER_CONSUMER_GROUP: `${env.KAFKA_TOPIC_PREFIX ?? ''}aftermath-renderer` });
