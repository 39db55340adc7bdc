import { z } from 'zod';

/** Thrown when an environment variable is invalid; `main` prints its one-line message and exits. */
export class ConfigError extends Error {}

/**
 * Parses `env` with a zod object whose keys are environment variable names.
 * The first failing variable is named in one line, so operators see exactly what to fix.
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.output<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const variable = String(issue.path[0] ?? 'environment');
  const value = env[variable];
  const shown = value === undefined ? 'unset' : `"${value}"`;
  throw new ConfigError(`Invalid configuration: ${variable}=${shown}: ${issue.message}`);
}

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

/** A TCP port; 0 asks the OS for a free one (tests). */
export const port = (fallback: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).default(fallback));

export const positiveInt = (fallback: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().positive().default(fallback));

export const commaList = (fallback = '') =>
  z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .default(fallback)
      .transform((text) =>
        text
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item.length > 0),
      ),
  );

const hostPort = /^[A-Za-z0-9.\-\[\]:]+:\d{1,5}$/;

/** Settings every service shares: where Kafka and PostgreSQL are. */
export const commonEnv = {
  KAFKA_BROKERS: commaList('127.0.0.1:9092').refine(
    (brokers) => brokers.length > 0 && brokers.every((broker) => hostPort.test(broker)),
    'expected comma-separated host:port pairs',
  ),
  KAFKA_TOPIC_PREFIX: z.preprocess(emptyAsUndefined, z.string().regex(/^[A-Za-z0-9._-]*$/).default('')),
  DATABASE_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .default('postgres://postgres@127.0.0.1:5432/aftermath')
      .refine((url) => /^postgres(ql)?:\/\/[^/]+\/[^/?]+/.test(url), 'expected postgres://user@host:port/database'),
  ),
  LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(['debug', 'info', 'warn', 'error']).default('info')),
};

export const commonConfigSchema = z.object(commonEnv);
export type CommonConfig = z.output<typeof commonConfigSchema>;
