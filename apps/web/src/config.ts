import { z } from 'zod';
import { loadConfig, port } from '@app/platform';

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);
const baseUrl = (fallback: string) =>
  z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .default(fallback)
      .refine((url) => /^https?:\/\/[^/]+/.test(url), 'expected an http(s) URL such as http://127.0.0.1:3002')
      .transform((url) => url.replace(/\/+$/, '')),
  );
const optionalText = z.preprocess(emptyAsUndefined, z.string().optional());
/** A bearer token to present; given a comma-separated list (READ_TOKENS as docker compose passes it), the first. */
const presentedToken = z.preprocess(
  emptyAsUndefined,
  z
    .string()
    .transform((list) => list.split(',').map((token) => token.trim()).find(Boolean))
    .optional(),
);

export const webConfigSchema = z.object({
  WEB_PORT: port(3004),
  /** Loopback by default: without WEB_TRUSTED_USER_HEADER nobody but this machine may use the workspace. */
  WEB_HOST: z.preprocess(emptyAsUndefined, z.string().default('127.0.0.1')),
  /** Behind an authenticating proxy (oauth2-proxy and the like): the header naming the signed-in person. */
  WEB_TRUSTED_USER_HEADER: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9-]+$/, 'expected an HTTP header name such as X-Forwarded-User')
      .transform((name) => name.toLowerCase())
      .optional(),
  ),
  TIMELINE_URL: baseUrl('http://127.0.0.1:3002'),
  RENDERER_URL: baseUrl('http://127.0.0.1:3003'),
  INGEST_URL: baseUrl('http://127.0.0.1:3001'),
  /** Bearer tokens the workspace presents to timeline and renderer (READ_TOKENS) and to ingest (INGEST_TOKENS). */
  WEB_READ_TOKEN: presentedToken,
  WEB_INGEST_TOKEN: presentedToken,
  /** How often the server asks the timeline whether an open page has news (server-sent events). */
  WEB_LIVE_POLL_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(200).max(60_000).default(2000)),
  LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(['debug', 'info', 'warn', 'error']).default('info')),
});

export type WebConfig = z.output<typeof webConfigSchema>;

export const WEB_CONFIG = Symbol('WEB_CONFIG');

export const loadWebConfig = (env: NodeJS.ProcessEnv = process.env) => loadConfig(webConfigSchema, env);
