import type { DataSource } from 'typeorm';
import { setToastCompression } from '@app/platform';
import { openRendererDataSource } from '../../renderer/src/store/data-source.js';
import { openTimelineDataSource } from '../src/event-store/data-source.js';
import { testEnvironment } from '../../../test/support/environment.js';

const environment = testEnvironment('toast');
let timeline: DataSource;
let renderer: DataSource;

beforeAll(async () => {
  timeline = await openTimelineDataSource(environment.databaseUrl, 2);
  renderer = await openRendererDataSource(environment.databaseUrl, 2);
});

afterAll(async () => {
  await timeline?.destroy();
  await renderer?.destroy();
  await environment.dropDatabase();
});

const compression = async (table: string, column: string): Promise<string> => {
  const [row] = (await timeline.query(`SELECT attcompression AS method FROM pg_attribute WHERE attrelid = $1::regclass AND attname = $2`, [table, column])) as { method: string }[];
  return row!.method;
};

const lz4Available = async () => {
  const [{ version }] = (await timeline.query(`SELECT current_setting('server_version_num')::int AS version`)) as { version: number }[];
  if (version < 140000) return false;
  // Refused by a server built without lz4.
  return timeline.transaction((manager) => manager.query(`SELECT set_config('default_toast_compression', 'lz4', true)`)).then(() => true, () => false);
};

test('the migrations store large columns with lz4 where PostgreSQL has it, and say so otherwise', async () => {
  const expected = (await lz4Available()) ? 'l' : '';
  expect(await compression('incidents', 'state')).toBe(expected);
  expect(await compression('events', 'payload')).toBe(expected);
  expect(await compression('renderer_incidents', 'state')).toBe(expected);
  expect(await compression('rca_drafts', 'markdown')).toBe(expected);
});

test('a compression method PostgreSQL refuses leaves the columns as they were instead of failing start-up', async () => {
  const before = await compression('incidents', 'state');
  const runner = timeline.createQueryRunner();
  try {
    await expect(setToastCompression(runner, [['incidents', 'state']], 'zstd' as 'lz4')).resolves.toBeUndefined();
  } finally {
    await runner.release();
  }
  expect(await compression('incidents', 'state')).toBe(before);
});
