import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exampleEvents } from '../../../test/support/fixtures.js';
import { startStack, type RunningStack } from '../../../test/support/stack.js';
import { testEnvironment, waitFor } from '../../../test/support/environment.js';

/* RCA_TEMPLATE through the service: the drafts the pipeline stores are the custom template's, and a template that cannot be used stops start-up. */

const root = fileURLToPath(new URL('../../..', import.meta.url));
const environment = testEnvironment('custom_template');
let stack: RunningStack | undefined;
let scratch: string;

const TEMPLATE = `{{!-- a one-page brief for a status channel --}}
# Brief: {{{heading}}}

Severity {{{severity}}}, {{{status}}}, {{{durationMinutes}}} minutes.
{{#each timeline}}
- {{{time}}} {{{event}}}
{{/each}}
{{{footer}}}
`;

/** The brief of the example incident, written out by hand from the reference RCA. */
const brief = (preparedOn: string) => `# Brief: 2025-04-05 - Cache Invalidation Bug in order-service

Severity P3, resolved, 139 minutes.
- 15:28 Monitoring alert triggered
- 15:30 On-call engineer paged
- 15:33 Initial investigation started
- 15:38 Root cause identified
- 16:51 Mitigation applied
- 17:19 Service recovery observed
- 17:47 Incident resolved
*RCA prepared by Backend Team on ${preparedOn}*
`;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'aftermath-template-'));
});

afterAll(async () => {
  await stack?.close();
  await environment.dropDatabase();
  await rm(scratch, { recursive: true, force: true });
});

test('the renderer drafts with RCA_TEMPLATE: stored versions, the vault and rca.md all read as the custom template', async () => {
  const template = join(scratch, 'brief.md.hbs');
  const vault = join(scratch, 'vault');
  await writeFile(template, TEMPLATE);
  stack = await startStack(environment, ['ingest', 'timeline', 'renderer'], { LOG_LEVEL: 'warn', RCA_TEMPLATE: template, RCA_OUTPUT_DIR: vault });

  const response = await fetch(`${stack.ingest}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(exampleEvents()) });
  expect(response.status).toBe(202);
  const versions = await waitFor(async () => {
    const listing = await fetch(`${stack!.renderer}/v1/incidents/INC-2025-0405-ORD/rca/versions`);
    if (listing.status !== 200) return null;
    const found = ((await listing.json()) as { versions: { version: number; preparedOn: string }[] }).versions;
    return found.length > 0 ? found : null;
  }, 'the first draft');
  expect(versions.map((v) => v.version)).toEqual([1]);

  const stored = await (await fetch(`${stack.renderer}/v1/incidents/INC-2025-0405-ORD/rca/versions/1.md`)).text();
  expect(stored).toBe(brief(versions[0]!.preparedOn));
  expect(await (await fetch(`${stack.renderer}/v1/incidents/INC-2025-0405-ORD/rca.md`)).text()).toBe(stored);
  expect(await readFile(join(vault, '2025-04-05-cache-invalidation-bug-order-service.md'), 'utf8')).toBe(stored);
  expect(await (await fetch(`${stack.renderer}/v1/incidents/INC-2025-0405-ORD/rca.md?preparedOn=2025-04-06`)).text()).toBe(brief('2025-04-06'));
});

/**
 * The built renderer started as an operator would, with `env` on top of the suite's; resolves with its exit code
 * and stderr. One that starts listening instead is stopped, so a template wrongly accepted fails the test, not hangs it.
 */
async function startBuiltRenderer(env: Record<string, string>) {
  const child = spawn(process.execPath, ['apps/renderer/dist/main.js'], {
    cwd: root,
    env: { ...process.env, ...environment.env, RENDERER_PORT: '0', RENDERER_HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
  child.stdout.on('data', (data: Buffer) => {
    if (data.toString().includes('renderer listening')) child.kill('SIGTERM');
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr };
}

test('a template that cannot be read or rendered stops start-up with one line naming RCA_TEMPLATE', async () => {
  const missing = join(scratch, 'no-such-template.md.hbs');
  expect(await startBuiltRenderer({ RCA_TEMPLATE: missing })).toEqual({
    code: 1,
    stderr: `renderer: Invalid configuration: RCA_TEMPLATE="${missing}": ENOENT: no such file or directory, open '${missing}'\n`,
  });

  const misspelt = join(scratch, 'misspelt.md.hbs');
  await writeFile(misspelt, '# {{{heading}}}\n{{{sumary}}}\n');
  expect(await startBuiltRenderer({ RCA_TEMPLATE: misspelt })).toEqual({
    code: 1,
    stderr: `renderer: Invalid configuration: RCA_TEMPLATE="${misspelt}": template ${misspelt}: "sumary" not defined (line 2, column 4)\n`,
  });
});
