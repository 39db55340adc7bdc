import { correlationSettingsFromEnv, type CorrelationSettings } from '@app/domain';
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

/**
 * The pipeline's correlation settings from the same environment variables, read by the same definition
 * (libs/domain, correlationEnv), so that the CLI and the timeline correlate a log alike (docs/correlation.md).
 */
export function correlationFromEnvironment(env: NodeJS.ProcessEnv = process.env): CorrelationSettings {
  try {
    return correlationSettingsFromEnv(env);
  } catch (error) {
    throw new InputError((error as Error).message);
  }
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
