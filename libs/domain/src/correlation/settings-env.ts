import * as z from 'zod';
import { invalidConfiguration, messageOf } from '../problems/problem.js';
import { correlationSettings, DEFAULT_CORRELATION_IDLE_MINUTES, DEFAULT_CORRELATION_MARGIN_MINUTES, parseGroupLabels, parseServiceGroups, type CorrelationSettings } from './settings.js';

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);
const minutes = (min: number, max: number, fallback: number) => z.preprocess(emptyAsUndefined, z.coerce.number().int().min(min).max(max).default(fallback));

/** A list variable read by `parse`, whose error message becomes the variable's issue. */
function parsedList<T>(parse: (spec: string) => T) {
  return z
    .string()
    .default('')
    .transform((spec, ctx) => {
      try {
        return parse(spec);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: messageOf(error) });
        return z.NEVER;
      }
    });
}

/**
 * The correlation variables, one definition for every reader: the timeline service (its configuration
 * schema spreads these), a rebuild, the rca/summary CLI and the replay, so all of them correlate a log
 * alike. Here rather than in libs/platform because the CLI must not load the services' modules.
 */
export const correlationEnv = {
  CORRELATION_MARGIN_MINUTES: minutes(0, 10_080, DEFAULT_CORRELATION_MARGIN_MINUTES),
  CORRELATION_IDLE_MINUTES: minutes(1, 525_600, DEFAULT_CORRELATION_IDLE_MINUTES),
  CORRELATION_GROUP_LABELS: parsedList(parseGroupLabels),
  CORRELATION_SERVICE_GROUPS: parsedList(parseServiceGroups),
};

const correlationEnvSchema = z.object(correlationEnv);

export type CorrelationEnv = z.output<typeof correlationEnvSchema>;

/** The settings of parsed variables. */
export const correlationSettingsOf = (config: CorrelationEnv): CorrelationSettings =>
  correlationSettings({
    marginMinutes: config.CORRELATION_MARGIN_MINUTES,
    idleMinutes: config.CORRELATION_IDLE_MINUTES,
    groupLabels: config.CORRELATION_GROUP_LABELS,
    serviceGroups: config.CORRELATION_SERVICE_GROUPS,
  });

/**
 * The correlation settings that environment variables name (pass `process.env`); throws an
 * `invalid-configuration` problem naming the first variable that is wrong, with its value, as the services do.
 */
export function correlationSettingsFromEnv(env: Readonly<Record<string, string | undefined>>): CorrelationSettings {
  const parsed = correlationEnvSchema.safeParse(env);
  if (parsed.success) return correlationSettingsOf(parsed.data);
  const issue = parsed.error.issues[0]!;
  const variable = String(issue.path[0]);
  const value = env[variable];
  throw invalidConfiguration(`${variable}=${value === undefined ? 'unset' : `"${value}"`}: ${issue.message}`);
}
