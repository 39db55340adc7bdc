import { accessSync, constants } from 'node:fs';
import { z } from 'zod';
import { invalidConfiguration } from '@app/domain';

/**
 * Parses `env` with a zod object whose keys are environment variable names. The first failing variable is
 * named in one line (an `invalid-configuration` problem, printed by `runService`), so operators see exactly
 * what to fix.
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.output<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) {
    const problem = kafkaSecurityProblem(parsed.data as Partial<KafkaSecurityConfig>);
    if (problem) throw invalidConfiguration(`${problem.variable}=${shownValue(problem.variable, env[problem.variable])}: ${problem.message}`);
    return parsed.data;
  }
  const issue = parsed.error.issues[0]!;
  const variable = String(issue.path[0] ?? 'environment');
  throw invalidConfiguration(`${variable}=${shownValue(variable, env[variable])}: ${issue.message}`);
}

/** Teams Workflows webhook URLs carry their signature (`sig=`) in the query: as secret as a token. */
const SECRET_VARIABLE = /TOKEN|SECRET|PASSWORD|KEY$|WEBHOOK_URLS$/;

/**
 * The value as an error line may show it: the line goes to logs and terminals, so secrets are masked
 * (tokens, secrets, passwords) and so is the password inside a URL (DATABASE_URL).
 */
export function shownValue(variable: string, value: string | undefined): string {
  if (value === undefined) return 'unset';
  if (SECRET_VARIABLE.test(variable) && !variable.endsWith('_FILE')) return `(${value.length} characters, hidden)`;
  return `"${value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, '$1***@')}"`;
}

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

/** A listen address; unset, the service picks one by whether it has tokens (defaultListenHost). */
export const listenHost = z.preprocess(emptyAsUndefined, z.string().optional());

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

/** `true`/`false` (also `1`/`0`, `yes`/`no`), case-insensitive. */
export const booleanFlag = (fallback: boolean) =>
  z.preprocess(
    (value) => (typeof value === 'string' && value !== '' ? value.trim().toLowerCase() : undefined),
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' })
      .optional()
      .transform((value) => (value === undefined ? fallback : value === 'true' || value === '1' || value === 'yes')),
  );

/** A path to a file this process can read (certificates); unset or empty for none. */
const readableFile = z.preprocess(
  emptyAsUndefined,
  z
    .string()
    .refine((path) => {
      try {
        accessSync(path, constants.R_OK);
        return true;
      } catch {
        return false;
      }
    }, 'expected a readable file')
    .optional(),
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
  /** TLS to the brokers; the system CAs unless KAFKA_SSL_CA_FILE names the cluster's CA (PEM). */
  KAFKA_SSL: booleanFlag(false),
  KAFKA_SSL_CA_FILE: readableFile,
  /** Client certificate and key (PEM) for clusters that authenticate clients by TLS (mTLS). */
  KAFKA_SSL_CERT_FILE: readableFile,
  KAFKA_SSL_KEY_FILE: readableFile,
  /** SASL authentication; needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD. */
  KAFKA_SASL_MECHANISM: z.preprocess(
    (value) => (typeof value === 'string' && value !== '' ? value.trim().toLowerCase() : undefined),
    z.enum(['plain', 'scram-sha-256', 'scram-sha-512'], { error: 'expected plain, scram-sha-256 or scram-sha-512' }).optional(),
  ),
  KAFKA_SASL_USERNAME: z.preprocess(emptyAsUndefined, z.string().optional()),
  KAFKA_SASL_PASSWORD: z.preprocess(emptyAsUndefined, z.string().optional()),
};

export interface KafkaSecurityConfig {
  KAFKA_SSL: boolean;
  KAFKA_SSL_CA_FILE?: string | undefined;
  KAFKA_SSL_CERT_FILE?: string | undefined;
  KAFKA_SSL_KEY_FILE?: string | undefined;
  KAFKA_SASL_MECHANISM?: 'plain' | 'scram-sha-256' | 'scram-sha-512' | undefined;
  KAFKA_SASL_USERNAME?: string | undefined;
  KAFKA_SASL_PASSWORD?: string | undefined;
}

/** Settings that are valid one by one but not together; checked after parsing, named like field errors. */
function kafkaSecurityProblem(config: Partial<KafkaSecurityConfig>): { variable: string; message: string } | null {
  if (config.KAFKA_SASL_MECHANISM) {
    if (!config.KAFKA_SASL_USERNAME) return { variable: 'KAFKA_SASL_USERNAME', message: `required with KAFKA_SASL_MECHANISM=${config.KAFKA_SASL_MECHANISM}` };
    if (!config.KAFKA_SASL_PASSWORD) return { variable: 'KAFKA_SASL_PASSWORD', message: `required with KAFKA_SASL_MECHANISM=${config.KAFKA_SASL_MECHANISM}` };
  } else if (config.KAFKA_SASL_USERNAME || config.KAFKA_SASL_PASSWORD) {
    return { variable: 'KAFKA_SASL_MECHANISM', message: 'required with KAFKA_SASL_USERNAME/KAFKA_SASL_PASSWORD: plain, scram-sha-256 or scram-sha-512' };
  }
  if (!config.KAFKA_SSL) {
    for (const variable of ['KAFKA_SSL_CA_FILE', 'KAFKA_SSL_CERT_FILE', 'KAFKA_SSL_KEY_FILE'] as const) {
      if (config[variable]) return { variable: 'KAFKA_SSL', message: `must be true when ${variable} is set` };
    }
  }
  if (!!config.KAFKA_SSL_CERT_FILE !== !!config.KAFKA_SSL_KEY_FILE) {
    const missing = config.KAFKA_SSL_CERT_FILE ? 'KAFKA_SSL_KEY_FILE' : 'KAFKA_SSL_CERT_FILE';
    return { variable: missing, message: 'client certificate and key go together' };
  }
  return null;
}

export const commonConfigSchema = z.object(commonEnv);
export type CommonConfig = z.output<typeof commonConfigSchema>;
