import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

/*
 * The shipped alert rules, through Prometheus's own promtool (`npm test` fetches Debian's package into
 * .data/prometheus, scripts/promtool.mjs): deploy/prometheus-alerts.yml is valid, and the alerts fire as
 * deploy/prometheus-alerts.test.yml says on the series they watch. Each metric a rule reads is one a
 * service registers, so a renamed metric cannot leave an alert watching nothing.
 */

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;
const promtool = process.env.PROMTOOL_BIN ?? '/usr/bin/promtool';
const rules = readFileSync(join(root, 'deploy/prometheus-alerts.yml'), 'utf8');

/** Every TypeScript source of the services and their shared platform library, as one text. */
function serviceSources(): string {
  const texts: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) texts.push(readFileSync(path, 'utf8'));
    }
  };
  for (const dir of ['apps/ingest/src', 'apps/timeline/src', 'apps/renderer/src', 'libs/platform/src']) walk(join(root, dir));
  return texts.join('\n');
}

test('promtool checks the rules and runs their tests', async () => {
  const checked = await run(promtool, ['check', 'rules', 'deploy/prometheus-alerts.yml'], { cwd: root });
  expect(checked.stdout).toMatch(/SUCCESS: \d+ rules found/);
  const tested = await run(promtool, ['test', 'rules', 'deploy/prometheus-alerts.test.yml'], { cwd: root });
  expect(tested.stdout).toContain('SUCCESS');
}, 60_000);

test('every aftermath_* metric a rule reads is registered by a service', () => {
  const sources = serviceSources();
  // A histogram's series carry _bucket, _sum and _count after the name it is registered under.
  const read = new Set([...rules.matchAll(/\b(aftermath_[a-z_]+?)(?:_bucket|_sum|_count)?\b/g)].map((match) => match[1]!));
  expect(read.size).toBeGreaterThan(10);
  expect([...read].filter((name) => !sources.includes(`'${name}'`))).toEqual([]);
});
