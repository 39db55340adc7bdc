import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// scripts/service-node-options.mjs is the source of the services' V8 heap limits; package.json and the
// Dockerfile cannot import it, so they repeat the value. This keeps the copies equal.
const root = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const defaults = /SERVICE_NODE_OPTIONS = '([^']+)'/.exec(read('scripts/service-node-options.mjs'))?.[1];

test('the source names both heap limits', () => {
  expect(defaults).toMatch(/^--max-old-space-size=\d+ --max-semi-space-size=\d+$/);
});

test.each(['ingest', 'timeline', 'renderer', 'web', 'notifier'])('npm run start:%s runs with the defaults unless NODE_OPTIONS is set', (service) => {
  const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
  expect(scripts[`start:${service}`]).toBe(`NODE_OPTIONS="\${NODE_OPTIONS:-${defaults}}" node apps/${service}/dist/main.js`);
});

test('the Docker image sets the defaults', () => {
  expect(read('Dockerfile')).toContain(`ENV NODE_OPTIONS="${defaults}"`);
});

test.each(['scripts/start.mjs', 'bench/lib/services.mjs', 'chaos/lib/services.mjs'])('%s starts services with serviceEnvironment()', (launcher) => {
  expect(read(launcher)).toMatch(/serviceEnvironment\(/);
});
