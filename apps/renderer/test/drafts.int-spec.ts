import { lstat, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exampleEvents, referenceRca } from '../../../test/support/fixtures.js';
import { runningStack } from '../../../test/support/stack.js';
import { testEnvironment, waitFor } from '../../../test/support/environment.js';

const environment = testEnvironment('drafts');
let vault: string;

beforeAll(async () => {
  vault = await mkdtemp(join(tmpdir(), 'aftermath-vault-'));
});

const stack = runningStack(environment, ['ingest', 'timeline', 'renderer'], () => ({ LOG_LEVEL: 'warn', RCA_OUTPUT_DIR: vault }));

afterAll(async () => {
  await rm(vault, { recursive: true, force: true });
});

const post = (events: unknown) =>
  fetch(`${stack.ingest}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(events) });

const versions = async () => {
  const response = await fetch(`${stack.renderer}/v1/incidents/INC-2025-0405-ORD/rca/versions`);
  return response.status === 200 ? ((await response.json()) as { versions: { version: number; fileName: string }[] }).versions : [];
};

test('the pipeline drafts the reference RCA, versions it when later events change it, and writes it to the vault', async () => {
  expect((await post(exampleEvents())).status).toBe(202);

  const first = await waitFor(async () => ((await versions()).length === 1 ? versions() : null), 'the first draft version');
  expect(first[0]).toMatchObject({ version: 1, fileName: 'rca-2025-04-05-cache-invalidation-bug-order-service.md' });

  const rendered = await (await fetch(`${stack.renderer}/v1/incidents/INC-2025-0405-ORD/rca.md?preparedOn=2025-04-06`)).text();
  // The reference is the draft's beginning; the extras (key metrics, Mermaid, appendix) follow it.
  const referenceLines = referenceRca().trimEnd().split('\n');
  expect(rendered.split('\n').slice(0, referenceLines.length)).toEqual(referenceLines);

  const stored = await (await fetch(`${stack.renderer}/v1/incidents/INC-2025-0405-ORD/rca.md`)).text();
  expect(stored).toContain('## Lessons Learned');
  expect(await readdir(vault)).toEqual(['2025-04-05-cache-invalidation-bug-order-service.md']);
  expect(await readFile(join(vault, '2025-04-05-cache-invalidation-bug-order-service.md'), 'utf8')).toBe(stored);

  // Re-sending the whole log changes nothing: no new version.
  expect((await post(exampleEvents())).status).toBe(202);

  const lesson = {
    id: 'api-lesson-ti-5',
    type: 'lesson.recorded',
    occurredAt: '2025-04-06T11:00:00Z',
    source: 'api',
    service: 'order-service',
    incidentKey: 'INC-2025-0405-ORD',
    data: { kind: 'to_improve', text: 'Cache keys need a version suffix' },
  };
  expect((await post(lesson)).status).toBe(202);
  await waitFor(async () => ((await versions()).length === 2 ? true : null), 'a second draft version');
  expect((await versions()).map((v) => v.version)).toEqual([2, 1]);

  const newest = await (await fetch(`${stack.renderer}/v1/incidents/INC-2025-0405-ORD/rca.md`)).text();
  const oldest = await (await fetch(`${stack.renderer}/v1/incidents/INC-2025-0405-ORD/rca/versions/1.md`)).text();
  expect(newest).toContain('- Cache keys need a version suffix');
  expect(oldest).not.toContain('Cache keys need a version suffix');
  expect(await readFile(join(vault, '2025-04-05-cache-invalidation-bug-order-service.md'), 'utf8')).toBe(newest);

  const summary = (await (await fetch(`${stack.renderer}/v1/incidents/pagerduty:Q0RIJJZL24RC6W/summary`)).json()) as Record<string, unknown>;
  expect(summary).toMatchObject({ durationMinutes: 139, usersAffected: 3808 });
  const summaryMarkdown = await fetch(`${stack.renderer}/v1/incidents/INC-2025-0405-ORD/summary.md`);
  expect(summaryMarkdown.headers.get('content-type')).toMatch(/^text\/markdown/);
  expect(await summaryMarkdown.text()).toContain('3808');

  expect((await fetch(`${stack.renderer}/v1/incidents/INC-2025-0405-ORD/rca/versions/9.md`)).status).toBe(404);
  expect((await fetch(`${stack.renderer}/v1/incidents/nope/rca.md`)).status).toBe(404);
  expect((await fetch(`${stack.renderer}/v1/incidents/INC-2025-0405-ORD/rca.md?preparedOn=yesterday`)).status).toBe(400);
});

test('a later incident of the same category links the previous one as related', async () => {
  const at = (time: string) => `2025-05-10T${time}:00Z`;
  const event = (id: string, type: string, time: string, data: Record<string, unknown>) => ({
    id: `later-${id}`,
    type,
    occurredAt: at(time),
    source: 'api',
    service: 'payment-service',
    incidentKey: 'INC-2025-0510-PAY',
    data,
  });
  const later = [
    event('declared', 'incident.declared', '09:00', { severity: 'P2', team: 'Payments Team' }),
    event('cause', 'root_cause.identified', '09:20', { summary: 'stale feature flag', category: 'application' }),
    event('resolved', 'status.changed', '10:00', { status: 'resolved' }),
  ];
  expect((await post(later)).status).toBe(202);

  const markdown = await waitFor(async () => {
    const response = await fetch(`${stack.renderer}/v1/incidents/INC-2025-0510-PAY/rca.md?preparedOn=2025-05-11`);
    return response.status === 200 ? response.text() : null;
  }, 'the later incident on the renderer');
  expect(markdown).toContain('- [[2025-04-05-cache-invalidation-bug-order-service|Previous application incident]]');
  expect(markdown).toContain('- [[runbook-payment-service|payment-service Runbook]]');
  expect(markdown).toContain('# 2025-05-10 - Stale Feature Flag in payment-service');
});

test('incidents resolved together each get one draft; an event that leaves a draft as it was adds no version', async () => {
  const incident = (n: number) => {
    const event = (id: string, type: string, minute: number, data: Record<string, unknown>) => ({
      id: `together-${n}-${id}`,
      type,
      occurredAt: `2025-06-0${n}T10:${String(minute).padStart(2, '0')}:00Z`,
      source: 'api',
      // A service and a category of its own: no incident links another as related, whichever is drafted first.
      service: `inventory-service-${n}`,
      incidentKey: `INC-2025-060${n}-INV`,
      data,
    });
    return [
      event('declared', 'incident.declared', 0, { severity: 'P3', team: 'Inventory Team' }),
      event('cause', 'root_cause.identified', 10, { summary: `disk ${n} full`, category: `disk-${n}` }),
      event('resolved', 'status.changed', 30, { status: 'resolved' }),
    ];
  };
  const all = [1, 2, 3].flatMap(incident);
  expect((await post(all)).status).toBe(202);
  const draftVersions = (n: number) =>
    fetch(`${stack.renderer}/v1/incidents/INC-2025-060${n}-INV/rca/versions`).then(async (response) =>
      response.status === 200 ? ((await response.json()) as { versions: { version: number }[] }).versions.map((v) => v.version) : [],
    );
  await waitFor(async () => ((await Promise.all([1, 2, 3].map(draftVersions))).every((list) => list.length > 0) ? true : null), 'three drafts');

  // A note is not part of the RCA: the renderer re-renders incident 3 and finds its draft unchanged. The lesson
  // after it (same incident, so the same partition, in order) does change it and shows the note has been through.
  const note = { ...incident(3)[0], id: 'together-note', type: 'note.added', occurredAt: '2025-06-03T10:20:00Z', data: { text: 'checked the disks' } };
  expect((await post(note)).status).toBe(202);
  const marker = { ...incident(3)[0], id: 'together-marker', type: 'lesson.recorded', occurredAt: '2025-06-03T11:00:00Z', data: { kind: 'to_improve', text: 'Alert on disk usage' } };
  expect((await post(marker)).status).toBe(202);
  await waitFor(async () => ((await draftVersions(3)).length === 2 ? true : null), 'the marker lesson in a second version of the third draft');
  expect(await Promise.all([1, 2, 3].map(draftVersions))).toEqual([[1], [1], [2, 1]]);
});

test('the related incident: the latest of the same category first, else the latest of the same service', async () => {
  const incident = (key: string, date: string, service: string, category: string) => {
    const event = (id: string, type: string, time: string, data: Record<string, unknown>) => ({
      id: `related-${key}-${id}`,
      type,
      occurredAt: `${date}T${time}:00Z`,
      source: 'api',
      service,
      incidentKey: key,
      data,
    });
    return [
      event('declared', 'incident.declared', '09:00', { severity: 'P3' }),
      event('cause', 'root_cause.identified', '09:10', { summary: `${category} trouble`, category }),
      event('resolved', 'status.changed', '09:30', { status: 'resolved' }),
    ];
  };
  const rca = (key: string) =>
    waitFor(async () => {
      const response = await fetch(`${stack.renderer}/v1/incidents/${key}/rca.md`);
      return response.status === 200 ? response.text() : null;
    }, `the draft of ${key}`);
  const linkTo = async (key: string) => {
    await rca(key);
    const { versions } = (await (await fetch(`${stack.renderer}/v1/incidents/${key}/rca/versions`)).json()) as { versions: { fileName: string }[] };
    return `[[${versions[0]!.fileName.replace(/^rca-/, '').replace(/\.md$/, '')}|`;
  };

  // No earlier network incident: the latest resolved incident of payment-service (10 May, from the test above).
  expect((await post(incident('INC-2025-0701-PAY', '2025-07-01', 'payment-service', 'network'))).status).toBe(202);
  expect(await rca('INC-2025-0701-PAY')).toContain(`${await linkTo('INC-2025-0510-PAY')}Previous network incident]]`);

  // A disk-1 incident exists (inventory-service-1, 1 June): it wins over payment-service's more recent one.
  expect((await post(incident('INC-2025-0702-PAY', '2025-07-02', 'payment-service', 'disk-1'))).status).toBe(202);
  expect(await rca('INC-2025-0702-PAY')).toContain(`${await linkTo('INC-2025-0601-INV')}Previous disk-1 incident]]`);
});

test('an incident that resolved with its alerts and then reopened answers with what people recorded since, not its stored draft', async () => {
  const event = (id: string, type: string, time: string, data: Record<string, unknown>, incidentKey?: string) => ({
    id: `reopened-${id}`,
    type,
    occurredAt: `2025-08-01T${time}:00Z`,
    source: id.startsWith('alert') ? 'alertmanager' : 'api',
    service: 'search-service',
    ...(incidentKey ? { incidentKey } : {}),
    data,
  });
  const alert = { alertName: 'SearchLatencyHigh', fingerprint: 'f00dcafe' };
  // Alert-only: it resolves with its alert, and the renderer stores a draft.
  expect((await post([event('alert-firing', 'alert.triggered', '09:00', alert, 'INC-2025-0801-SRC'), event('alert-resolved', 'alert.resolved', '09:20', alert)])).status).toBe(202);
  const draftVersions = async () => {
    const response = await fetch(`${stack.renderer}/v1/incidents/INC-2025-0801-SRC/rca/versions`);
    return response.status === 200 ? ((await response.json()) as { versions: { version: number }[] }).versions.map((v) => v.version) : [];
  };
  await waitFor(async () => ((await draftVersions()).length === 1 ? true : null), 'the draft of the alert-only incident');

  // A person takes it up: it is open again, and the RCA is what the events say now.
  expect((await post([
    event('status', 'status.changed', '09:25', { status: 'investigating' }, 'INC-2025-0801-SRC'),
    event('cause', 'root_cause.identified', '09:30', { summary: 'unbounded query fan-out', category: 'application' }, 'INC-2025-0801-SRC'),
  ])).status).toBe(202);
  const rca = () => fetch(`${stack.renderer}/v1/incidents/INC-2025-0801-SRC/rca.md`).then((response) => response.text());
  await waitFor(async () => (await rca()).includes('unbounded query fan-out'), 'the root cause in the RCA of the reopened incident');
  expect(await draftVersions()).toEqual([1]);

  // Resolved again by the person: the stored draft is the answer once more, as a new version.
  expect((await post(event('resolved', 'status.changed', '10:00', { status: 'resolved' }, 'INC-2025-0801-SRC'))).status).toBe(202);
  await waitFor(async () => ((await draftVersions()).length === 2 ? true : null), 'a second version at the second resolution');
  const markdown = await rca();
  expect(markdown).toContain('unbounded query fan-out');
  expect(markdown).toBe(await (await fetch(`${stack.renderer}/v1/incidents/INC-2025-0801-SRC/rca/versions/2.md`)).text());
});

test('two same-day incidents of one service with the same subject get a vault file each; a symlink in the vault is replaced, not followed', async () => {
  const outside = join(await mkdtemp(join(tmpdir(), 'aftermath-outside-')), 'outside.md');
  await writeFile(outside, 'untouched');
  const planted = join(vault, '2025-08-01-disk-full-storage-service.md');
  await symlink(outside, planted);
  // Hours apart, each with its own key: two incidents, same day, service and subject, so the same slug.
  const incident = (key: string, hour: string) =>
    [
      ['declared', 'incident.declared', '00', { severity: 'P3', team: 'Storage Team' }],
      ['cause', 'root_cause.identified', '10', { summary: 'disk full', category: 'capacity' }],
      ['resolved', 'status.changed', '20', { status: 'resolved' }],
    ].map(([id, type, minute, data]) => ({ id: `${key}-${id}`, type, occurredAt: `2025-08-01T${hour}:${minute}:00Z`, source: 'api', service: 'storage-service', incidentKey: key, data }));
  expect((await post([...incident('INC-VAULT-A', '08'), ...incident('INC-VAULT-B', '15')])).status).toBe(202);

  const files = await waitFor(async () => {
    const names = (await readdir(vault)).filter((name) => name.startsWith('2025-08-01-disk-full-storage-service'));
    return names.length === 2 && (await lstat(planted)).isFile() ? names.sort() : null;
  }, 'two vault files of the same-day incidents');
  // Whichever incident claimed the name first keeps it; the other's name carries its id's hash.
  expect(files).toContain('2025-08-01-disk-full-storage-service.md');
  expect(files.filter((name) => /^2025-08-01-disk-full-storage-service-[0-9a-f]{8}\.md$/.test(name))).toHaveLength(1);
  const contents = await Promise.all(files.map((name) => readFile(join(vault, name), 'utf8')));
  expect(contents[0]).not.toBe(contents[1]);
  for (const text of contents) expect(text).toContain('Disk Full in storage-service');
  expect(await readFile(outside, 'utf8')).toBe('untouched');
});

