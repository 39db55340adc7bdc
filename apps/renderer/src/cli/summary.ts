#!/usr/bin/env node
// `npm run --silent summary -- FILE.ndjson [--json] [--incident KEY]`
// Imports only the domain and rendering: no Nest, Kafka or database, so it starts in milliseconds.
import { correlationSettingsFromEnv, Problem } from '@app/domain';
import { renderImpactSummaryMarkdown, summaryForLog } from '../rendering/index.js';
import { readEventLog } from './event-log-file.js';
import { parseCommandLine, runCommand } from './options.js';

const USAGE = 'usage: summary FILE.ndjson [--json] [--incident KEY]';

runCommand('summary', () => {
  const { file, values } = parseCommandLine(
    process.argv.slice(2),
    { json: { type: 'boolean' }, incident: { type: 'string' } },
    USAGE,
  );
  const events = readEventLog(file);
  const result = summaryForLog(events, { incident: values.incident as string | undefined, correlation: correlationSettingsFromEnv(process.env) });
  if (!result.ok) throw new Problem('invalid-request', result.error);
  if (result.unattachedEvents > 0) process.stderr.write(`summary: note: ${result.unattachedEvents} events joined no incident\n`);
  return values.json ? `${JSON.stringify(result.value, null, 2)}\n` : renderImpactSummaryMarkdown(result.value);
});
