#!/usr/bin/env node
// `npm run --silent rca -- FILE.ndjson [--prepared-on YYYY-MM-DD] [--template FILE] [--incident KEY]`
// Imports only the domain and rendering: no Nest, Kafka or database, so it starts in milliseconds.
import { correlationSettingsFromEnv, messageOf, Problem } from '@app/domain';
import { loadTemplate, rcaForLog, type Template } from '../rendering/index.js';
import { readEventLog } from './event-log-file.js';
import { parseCommandLine, preparedOnOption, runCommand } from './options.js';

const USAGE = 'usage: rca FILE.ndjson [--prepared-on YYYY-MM-DD] [--template FILE] [--incident KEY]';

function customTemplate(path: string | undefined): Template | undefined {
  if (path === undefined) return undefined;
  try {
    return { name: path, source: loadTemplate(path) };
  } catch (error) {
    throw new Problem('invalid-request', `cannot read template ${path}: ${messageOf(error)}`);
  }
}

runCommand('rca', () => {
  const { file, values } = parseCommandLine(
    process.argv.slice(2),
    { 'prepared-on': { type: 'string' }, template: { type: 'string' }, incident: { type: 'string' } },
    USAGE,
  );
  const preparedOn = preparedOnOption(values['prepared-on'] as string | undefined);
  const template = customTemplate(values.template as string | undefined);
  const events = readEventLog(file);
  const result = rcaForLog(events, {
    preparedOn,
    template,
    incident: values.incident as string | undefined,
    correlation: correlationSettingsFromEnv(process.env),
  });
  if (!result.ok) throw new Problem('invalid-request', result.error);
  if (result.unattachedEvents > 0) process.stderr.write(`rca: note: ${result.unattachedEvents} events joined no incident\n`);
  return result.value;
});
