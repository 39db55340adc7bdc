import { parseArgs, type ParseArgsConfig } from 'node:util';
import { calendarDateSchema, isProblem, messageOf, Problem } from '@app/domain';
import { utcToday } from '../rendering/utc-today.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Named options plus exactly one positional argument, the event log file. */
export function parseCommandLine(argv: string[], options: Options, usage: string): { file: string; values: Record<string, unknown> } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new Problem('invalid-request', `${messageOf(error)}\n${usage}`);
  }
  if (parsed.positionals.length !== 1) throw new Problem('invalid-request', `expected one event log file\n${usage}`);
  return { file: parsed.positionals[0] as string, values: parsed.values };
}

/** `--prepared-on`: a real calendar day; today's UTC date when absent. */
export function preparedOnOption(value: string | undefined): string {
  if (value === undefined) return utcToday();
  if (!calendarDateSchema.safeParse(value).success) throw new Problem('invalid-request', `--prepared-on must be a date YYYY-MM-DD, got "${value}"`);
  return value;
}

/** Runs a command body: stdout gets only its result; a problem (bad input) becomes one message on stderr and exit code 1. */
export function runCommand(name: string, body: () => string): void {
  try {
    const output = body();
    process.stdout.write(output);
  } catch (error) {
    if (!isProblem(error)) throw error;
    process.stderr.write(`${name}: ${error.detail}\n`);
    process.exitCode = 1;
  }
}
