// `npm test`: builds, type-checks the tests, makes sure a Kafka broker and PostgreSQL answer (starting a local broker when none
// does), runs the whole jest suite, and stops what it started. Arguments go to jest.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureAlertmanager } from './alertmanager.mjs';
import { ensureKafka, ensurePostgres, root, run, stopKafka } from './infra.mjs';
import { ensurePromtool } from './promtool.mjs';

const log = (line) => process.stderr.write(`test: ${line}\n`);

const resultsFile = join(root, '.data', 'jest-results.json');
let startedKafka = false;
let code = 1;
// A failed build must not be reported with the counts of an earlier run.
rmSync(resultsFile, { force: true });
try {
  code = await run('node', ['node_modules/typescript/bin/tsc', '-b', 'tsconfig.build.json']);
  if (code !== 0) throw new Error('the build failed');
  // The build leaves tests out; jest strips types without checking them, so check them here.
  code = await run('node', ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json']);
  if (code !== 0) throw new Error('type errors in the tests (tsc -p tsconfig.json)');
  await ensurePostgres(log);
  startedKafka = await ensureKafka(log);
  mkdirSync(join(root, '.data'), { recursive: true });
  const alertmanagerBin = ensureAlertmanager(log);
  const ignored = [];
  if (!alertmanagerBin) {
    // CI must run the real-Alertmanager tests; a developer's machine without apt may skip them, loudly.
    if (process.env.CI || process.env.ALERTMANAGER_REQUIRED) throw new Error('the Alertmanager end-to-end tests are required here (CI) and no Alertmanager binary could be had');
    log('!!! SKIPPING the real-Alertmanager end-to-end tests (test/e2e/*alertmanager*): no binary (set ALERTMANAGER_BIN, or install prometheus-alertmanager) !!!');
    ignored.push('--testPathIgnorePatterns', 'alertmanager[^/]*\\.e2e-spec\\.ts$');
  }
  const promtoolBin = ensurePromtool(log);
  if (!promtoolBin) {
    if (process.env.CI) throw new Error('the alert rules must be checked by promtool here (CI) and no promtool binary could be had');
    log('!!! SKIPPING the promtool checks of deploy/prometheus-alerts.yml (test/e2e/prometheus-alerts.e2e-spec.ts): no binary (set PROMTOOL_BIN, or install prometheus) !!!');
    ignored.push('--testPathIgnorePatterns', 'prometheus-alerts\\.e2e-spec\\.ts$');
  }
  const kcatBin = process.env.KCAT_BIN ?? '/usr/bin/kcat';
  if (!existsSync(kcatBin)) {
    // The codec tests need a Kafka client other than kafkajs: CI must run them (.ci/run installs Debian's kcat).
    if (process.env.CI) throw new Error(`the kcat end-to-end tests are required here (CI) and ${kcatBin} is missing: apt-get install kcat, or set KCAT_BIN`);
    log(`!!! SKIPPING the kcat end-to-end tests (test/e2e/*kcat*): no ${kcatBin} (apt-get install kcat, or set KCAT_BIN) !!!`);
    ignored.push('--testPathIgnorePatterns', 'kcat[^/]*\\.e2e-spec\\.ts$');
  }
  rmSync(resultsFile, { force: true });
  code = await run(process.execPath, ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js', '--json', `--outputFile=${resultsFile}`, '--maxWorkers=2', ...ignored, ...process.argv.slice(2)], {
    cwd: root,
    env: { ...process.env, NODE_NO_WARNINGS: '1', ...(alertmanagerBin ? { ALERTMANAGER_BIN: alertmanagerBin } : {}), ...(promtoolBin ? { PROMTOOL_BIN: promtoolBin } : {}) },
  });
} catch (error) {
  log(error.message);
  code = 1;
} finally {
  if (startedKafka && !process.env.KEEP_KAFKA) stopKafka();
}
// A closing line in the plain form CI systems read, whatever the runner.
if (existsSync(resultsFile)) {
  const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
  const skipped = results.numPendingTests + results.numTodoTests;
  process.stdout.write(`\njest: ${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  if (results.numTotalTests === 0) code = code || 1;
}
process.exit(code);
