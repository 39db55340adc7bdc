// The CLIs as real child processes, from the built dist (the test runner builds before jest).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderImpactSummaryMarkdown, summaryForLog } from '../src/rendering/index.js';
import { correctionsPath, correctionsRca, firstDifference, fixtureEvents, fixturePath, referenceRca, repoRoot } from './support/event-log.js';

const root = fileURLToPath(repoRoot);
const fixture = fileURLToPath(fixturePath);
const scratch = mkdtempSync(join(tmpdir(), 'aftermath-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function run(command: 'rca' | 'summary', args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [`apps/renderer/dist/cli/${command}.js`, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function file(name: string, lines: string[]): string {
  const path = join(scratch, name);
  writeFileSync(path, lines.join('\n'));
  return path;
}

const fixtureLines = readFileSync(fixture, 'utf8').split('\n');
const alert = (id: string, service: string, occurredAt: string) =>
  JSON.stringify({ id, type: 'alert.triggered', occurredAt, source: 'alertmanager', service, incidentKey: `KEY-${id}`, data: { alertName: 'Down' } });

describe('rca CLI', () => {
  it('prints the reference RCA for the example log and nothing on stderr', () => {
    const { code, stdout, stderr } = run('rca', [fixture, '--prepared-on', '2025-04-06']);
    expect([code, stderr]).toEqual([0, '']);
    expect(firstDifference(referenceRca(), stdout)).toBeNull();
  });

  it('prints the hand-checked RCA of the corrected, merged incident, also when asked for the merged one', () => {
    const log = fileURLToPath(correctionsPath);
    for (const pick of [[], ['--incident', 'INC-2025-0612-CHK']]) {
      const { code, stdout, stderr } = run('rca', [log, '--prepared-on', '2025-06-13', ...pick]);
      expect([code, stderr]).toEqual([0, '']);
      expect(stdout).toBe(correctionsRca());
    }
  });

  it('defaults --prepared-on to the UTC date of today', () => {
    const before = new Date().toISOString().slice(0, 10);
    const { stdout } = run('rca', [fixture]);
    const after = new Date().toISOString().slice(0, 10);
    expect([before, after].some((day) => stdout.includes(`*RCA prepared by Backend Team on ${day}*`))).toBe(true);
  });

  it('rejects a bad line naming the line number and the field, with nothing on stdout', () => {
    const bad = fixtureLines.map((line, i) => (i === 2 ? line.replace('"page.sent"', '"alert.triggered"') : line));
    const { code, stdout, stderr } = run('rca', [file('bad.ndjson', bad), '--prepared-on', '2025-04-06']);
    expect([code, stdout]).toEqual([1, '']);
    expect(stderr).toMatch(/bad\.ndjson:3: data\.alertName: /);
  });

  it('rejects a line that is not JSON', () => {
    const { code, stdout, stderr } = run('rca', [file('garbage.ndjson', ['', '{not json'])]);
    expect([code, stdout]).toEqual([1, '']);
    expect(stderr).toContain('garbage.ndjson:2: event: not valid JSON');
  });

  it.each([
    [['--prepared-on', '2025-02-30'], /--prepared-on must be a date/],
    [['--colour'], /Unknown option '--colour'[\s\S]*usage: rca/],
    [[], /expected one event log file/],
    [['--template', '/nonexistent/t.hbs'], /cannot read template/],
  ])('exits 1 with a message for bad arguments %j', (args, message) => {
    const withFile = args.length === 0 ? [] : [fixture, ...args];
    const { code, stdout, stderr } = run('rca', withFile);
    expect([code, stdout]).toEqual([1, '']);
    expect(stderr).toMatch(message);
  });

  it('exits 1 on a missing file', () => {
    const { code, stderr } = run('rca', [join(scratch, 'missing.ndjson')]);
    expect(code).toBe(1);
    expect(stderr).toContain('no such file');
  });

  it('asks for --incident when the log holds several incidents, and honours it', () => {
    const log = file('two.ndjson', [alert('a1', 'order-service', '2025-04-05T10:00:00Z'), alert('b1', 'payment-service', '2025-04-05T11:00:00Z')]);
    const unpicked = run('rca', [log, '--prepared-on', '2025-04-06']);
    expect([unpicked.code, unpicked.stdout]).toEqual([1, '']);
    expect(unpicked.stderr).toMatch(/2 incidents[\s\S]*KEY-a1[\s\S]*KEY-b1/);
    const picked = run('rca', [log, '--prepared-on', '2025-04-06', '--incident', 'KEY-b1']);
    expect(picked.code).toBe(0);
    expect(picked.stdout).toContain('# 2025-04-05 - Down in payment-service');
  });

  it('renders a custom --template over the same view model', () => {
    const template = file('custom.hbs', ['{{{heading}}} by {{{author}}}', '']);
    const { code, stdout } = run('rca', [fixture, '--template', template]);
    expect([code, stdout]).toEqual([0, '2025-04-05 - Cache Invalidation Bug in order-service by Backend Team\n']);
  });

  it('rejects an invalid CORRELATION_MARGIN_MINUTES like the pipeline does', () => {
    const { code, stderr } = run('rca', [fixture], { CORRELATION_MARGIN_MINUTES: 'soon' });
    expect(code).toBe(1);
    expect(stderr).toContain('CORRELATION_MARGIN_MINUTES');
  });
});

describe('summary CLI', () => {
  it('prints the impact summary as JSON with --json', () => {
    const { code, stdout } = run('summary', [fixture, '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ durationMinutes: 139, usersAffected: 3808, severity: 'P3', mttaMinutes: 5 });
  });

  it('gives null for every figure an alert-only log lacks', () => {
    const { code, stdout } = run('summary', [file('alert.ndjson', [alert('x1', 'order-service', '2025-04-05T10:00:00Z')]), '--json']);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    for (const field of ['severity', 'durationMinutes', 'usersAffected', 'errorRate', 'revenueUsd', 'mttrMinutes']) {
      expect([field, summary[field]]).toEqual([field, null]);
    }
  });

  it('prints by default the same markdown as the renderer library', () => {
    const { code, stdout } = run('summary', [fixture]);
    const library = summaryForLog(fixtureEvents());
    expect(code).toBe(0);
    expect(library.ok && stdout).toBe(library.ok && renderImpactSummaryMarkdown(library.value));
  });
});
