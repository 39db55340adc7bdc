/*
 * npm run --silent correlation:replay -- [--margin-minutes N] [--idle-minutes N] [--group-labels a,b]
 *   [--service-groups SPEC] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]
 *
 * Correlates the event log stored at DATABASE_URL again, in memory, under other settings and prints how the
 * incidents would differ from the stored ones (docs/correlation.md, "Trying a setting on your history").
 * The settings are the CORRELATION_* variables, as the timeline reads them, each overridden by its flag.
 * Read-only: it changes nothing, and neither migrates nor creates the database.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { z } from 'zod';
import {
  correlationEnv,
  correlationSettingsFromEnv,
  isProblem,
  messageOf,
  parseGroupLabels,
  parseServiceGroups,
  Problem,
  renderReplayTable,
  serviceUnavailable,
  type CorrelationSettings,
} from '@app/domain';
import { commonEnv, loadConfig, shownValue } from '@app/platform';
import { replayStoredLog, type ReplayOptions } from '../replay/replay-stored-log.js';

const USAGE =
  'usage: correlation:replay [--margin-minutes N] [--idle-minutes N] [--group-labels a,b] [--service-groups SPEC] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]';

function flag<T>(name: string, value: string | undefined, parse: (value: string) => T): T | undefined {
  if (value === undefined) return undefined;
  try {
    return parse(value);
  } catch (error) {
    throw new Problem('invalid-request', `--${name}=${JSON.stringify(value)}: ${error instanceof z.ZodError ? error.issues[0]!.message : messageOf(error)}`);
  }
}

const day = (value: string) => z.iso.date().parse(value);

function options(argv: string[], env: NodeJS.ProcessEnv): ReplayOptions & { json: boolean } {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'margin-minutes': { type: 'string' },
        'idle-minutes': { type: 'string' },
        'group-labels': { type: 'string' },
        'service-groups': { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        json: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new Problem('invalid-request', `${messageOf(error)}\n${USAGE}`);
  }
  const text = (name: string) => values[name] as string | undefined;
  // A wrong CORRELATION_* variable is an invalid-configuration problem naming it (correlationSettingsFromEnv).
  const fromEnv = correlationSettingsFromEnv(env);
  const settings: CorrelationSettings = {
    marginMinutes: flag('margin-minutes', text('margin-minutes'), (value) => correlationEnv.CORRELATION_MARGIN_MINUTES.parse(value)) ?? fromEnv.marginMinutes,
    idleMinutes: flag('idle-minutes', text('idle-minutes'), (value) => correlationEnv.CORRELATION_IDLE_MINUTES.parse(value)) ?? fromEnv.idleMinutes,
    groupLabels: flag('group-labels', text('group-labels'), parseGroupLabels) ?? fromEnv.groupLabels,
    serviceGroups: flag('service-groups', text('service-groups'), parseServiceGroups) ?? fromEnv.serviceGroups,
  };
  const from = flag('from', text('from'), day) ?? null;
  const to = flag('to', text('to'), day) ?? null;
  if (from !== null && to !== null && from >= to) throw new Problem('invalid-request', `--to=${JSON.stringify(to)}: must be after --from (${from})`);
  return { settings, from, to, json: values.json === true };
}

async function main(): Promise<void> {
  const { DATABASE_URL } = loadConfig(z.object({ DATABASE_URL: commonEnv.DATABASE_URL }), process.env);
  const replay = options(process.argv.slice(2), process.env);
  const client = new pg.Client({ connectionString: DATABASE_URL });
  client.on('error', () => undefined);
  await client.connect().catch((error: unknown) => {
    throw serviceUnavailable(`cannot connect to DATABASE_URL=${shownValue('DATABASE_URL', DATABASE_URL)}: ${messageOf(error)}`, error);
  });
  try {
    const report = await replayStoredLog(client, replay);
    process.stdout.write(replay.json ? `${JSON.stringify(report, null, 2)}\n` : renderReplayTable(report));
  } finally {
    await client.end();
  }
}

try {
  await main();
} catch (error) {
  process.stderr.write(`correlation:replay: ${isProblem(error) ? error.detail : describe(error)}\n`);
  process.exitCode = 1;
}

/** A database error as one line: what PostgreSQL said, and where the event store was looked for. */
function describe(error: unknown): string {
  if ((error as { code?: string }).code === '42P01') return `no timeline event store there (${messageOf(error)}); is DATABASE_URL the timeline's database?`;
  return messageOf(error);
}
