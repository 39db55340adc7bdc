import { parseGroupLabels, parseServiceGroups, type CorrelateOptions } from '@app/domain';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { calendarDateSchema } from '@app/domain';
import { InputError } from './event-log-file.js';
import { utcToday } from '../rendering/utc-today.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Named options plus exactly one positional argument, the event log file. */
export function parseCommandLine(argv: string[], options: Options, usage: string): { file: string; values: Record<string, unknown> } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new InputError(`${(error as Error).message}\n${usage}`);
  }
  if (parsed.positionals.length !== 1) throw new InputError(`expected one event log file\n${usage}`);
  return { file: parsed.positionals[0] as string, values: parsed.values };
}

/** `--prepared-on`: a real calendar day; today's UTC date when absent. */
export function preparedOnOption(value: string | undefined): string {
  if (value === undefined) return utcToday();
  if (!calendarDateSchema.safeParse(value).success) throw new InputError(`--prepared-on must be a date YYYY-MM-DD, got "${value}"`);
  return value;
}

/** CORRELATION_MARGIN_MINUTES, validated like the timeline service does, so both correlate alike. */
export function marginFromEnvironment(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env.CORRELATION_MARGIN_MINUTES;
  if (raw === undefined || raw === '') return undefined;
  const minutes = Number(raw);
  if (!Number.isInteger(minutes) || minutes < 0 || minutes > 10_080) {
    throw new InputError(`CORRELATION_MARGIN_MINUTES must be a whole number of minutes from 0 to 10080, got "${raw}"`);
  }
  return minutes;
}

/**
 * The pipeline's correlation settings from the same environment variables, so that the CLI and the
 * timeline correlate a log alike (docs/correlation.md).
 */
export function correlationFromEnvironment(env: NodeJS.ProcessEnv = process.env): CorrelateOptions {
  const options: CorrelateOptions = {};
  const margin = marginFromEnvironment(env);
  if (margin !== undefined) options.marginMinutes = margin;
  const idle = env.CORRELATION_IDLE_MINUTES;
  if (idle !== undefined && idle !== '') {
    const minutes = Number(idle);
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 525_600) throw new InputError(`CORRELATION_IDLE_MINUTES must be a whole number of minutes from 1 to 525600, got "${idle}"`);
    options.idleMinutes = minutes;
  }
  if (env.CORRELATION_GROUP_LABELS) options.groupLabels = parseGroupLabels(env.CORRELATION_GROUP_LABELS);
  if (env.CORRELATION_SERVICE_GROUPS) {
    try {
      options.serviceGroups = parseServiceGroups(env.CORRELATION_SERVICE_GROUPS);
    } catch (error) {
      throw new InputError(`CORRELATION_SERVICE_GROUPS: ${(error as Error).message}`);
    }
  }
  return options;
}

/** Runs a command body: stdout gets only its result; any InputError becomes stderr and exit code 1. */
export function runCommand(name: string, body: () => string): void {
  try {
    const output = body();
    process.stdout.write(output);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    process.stderr.write(`${name}: ${error.message}\n`);
    process.exitCode = 1;
  }
}
