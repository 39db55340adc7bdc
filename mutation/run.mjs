// `npm run mutation`: mutation testing of the domain core and the timeline's correlation and storage (StrykerJS).
// Incremental: only mutants in code or tests changed since the committed reports/stryker-incremental-*.json are
// tested again. Prints the scores per folder, records them in bench/results/latest-mutation.json, and exits 1 when
// a goal (mutation/parts.mjs) is missed.
//
//   npm run mutation                          both parts, incremental
//   npm run mutation -- --part=domain         one part (domain, timeline)
//   npm run mutation -- --force               every mutant again (rewrites the incremental files)
//   npm run mutation -- --part=domain --mutate=libs/domain/src/correlation/corrections.ts
//                                             a focused run while writing tests: not recorded, no goal
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Stryker } from '@stryker-mutator/core';
import { ensureKafka, ensurePostgres, root, run, stopKafka } from '../scripts/infra.mjs';
import { GOALS, jsonReport, PARTS, strykerOptions } from './parts.mjs';
import { folderScores, format, missedGoals, scoreTable } from './scores.mjs';

const log = (line) => process.stderr.write(`mutation: ${line}\n`);
const { values } = parseArgs({ options: { part: { type: 'string' }, force: { type: 'boolean', default: false }, mutate: { type: 'string', multiple: true } } });
const parts = values.part ? values.part.split(',') : Object.keys(PARTS);
for (const part of parts) if (!PARTS[part]) throw new Error(`--part: no part ${part} (${Object.keys(PARTS).join(', ')})`);
const mutate = values.mutate ?? null;
if (mutate && parts.length !== 1) throw new Error('--mutate needs one --part');

process.chdir(root);
const startedAt = new Date();
const loadAtStart = os.loadavg();
let startedKafka = false;
let code = 0;
const durations = {};
try {
  // Some integration tests run the built CLIs (npm run rebuild, correlation:replay), as npm test does.
  if ((await run('node', ['node_modules/typescript/bin/tsc', '-b', 'tsconfig.build.json'])) !== 0) throw new Error('the build failed');
  if (parts.some((part) => PARTS[part].needsServices)) {
    await ensurePostgres(log);
    startedKafka = await ensureKafka(log);
  }
  for (const part of parts) {
    const began = Date.now();
    log(`${part}: ${mutate ? `focused on ${mutate.join(' ')}` : values.force ? 'every mutant' : 'incremental'}`);
    await new Stryker(strykerOptions(part, { force: values.force, mutate })).runMutationTest();
    durations[part] = Math.round((Date.now() - began) / 1000);
    log(`${part}: ${durations[part]} s`);
  }
} catch (error) {
  log(error.message);
  code = 1;
} finally {
  if (startedKafka && !process.env.KEEP_KAFKA) stopKafka();
}
if (code === 0 && !mutate) code = record() ? 0 : 1;
process.exit(code || process.exitCode || 0);

/** Prints and records the scores of every part (the parts not run this time as their last reports have them). */
function record() {
  const files = {};
  for (const part of Object.keys(PARTS)) {
    try {
      Object.assign(files, JSON.parse(readFileSync(jsonReport(part), 'utf8')).files);
    } catch {
      log(`${part}: no report yet (${jsonReport(part)}), left out of the table`);
    }
  }
  const { total, rows } = folderScores(files);
  // One row per capability folder, and one per part.
  const shown = rows.filter((row) => /^(libs\/domain\/src|apps\/timeline\/src)(\/[^/]+)?$/.test(row.folder));
  const missed = missedGoals(total, rows, GOALS);
  const commit = git(['rev-parse', '--short', 'HEAD']);
  const dirty = git(['status', '--porcelain', '--untracked-files=no']) !== '';
  const result = {
    name: 'mutation',
    description: 'StrykerJS mutation score of libs/domain and the timeline correlation and storage code',
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    commit: dirty ? `${commit}+changes` : commit,
    machine: { cpus: os.cpus().length, node: process.version, loadAverage: loadAtStart.map(round), loadAverageAtEnd: os.loadavg().map(round) },
    options: { parts, force: values.force },
    secondsPerPart: durations,
    goals: GOALS,
    met: missed.length === 0,
    total,
    folders: shown,
  };
  console.log(`\n# mutation score, ${result.commit}, ${result.startedAt.slice(0, 10)} (load ${result.machine.loadAverage.join(' ')}; ${Object.entries(durations).map(([part, s]) => `${part} ${s} s`).join(', ')})\n`);
  console.log(scoreTable(total, shown));
  console.log(`\nmutation score ${format(total.score)} %: ${missed.length === 0 ? 'every goal met' : `missed: ${missed.join('; ')}`}`);
  const folder = join(root, 'bench', 'results');
  mkdirSync(folder, { recursive: true });
  const json = `${JSON.stringify(result, null, 2)}\n`;
  writeFileSync(join(folder, `mutation-${result.startedAt.replace(/[:.]/g, '-')}.json`), json);
  writeFileSync(join(folder, 'latest-mutation.json'), json);
  return missed.length === 0;
}

function git(args) {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function round(value) {
  return Number(value.toFixed(2));
}
