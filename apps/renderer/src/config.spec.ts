import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRendererConfig } from './config.js';

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'aftermath-config-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

test('RCA_OUTPUT_DIR that does not exist yet is created at start-up', () => {
  const folder = join(scratch, 'new', 'vault');
  expect(loadRendererConfig({ RCA_OUTPUT_DIR: folder }).RCA_OUTPUT_DIR).toBe(folder);
  expect(statSync(folder).isDirectory()).toBe(true);
});

test('RCA_OUTPUT_DIR that cannot be a folder stops start-up with one line naming the variable', () => {
  const file = join(scratch, 'a-file');
  writeFileSync(file, 'x');
  expect(() => loadRendererConfig({ RCA_OUTPUT_DIR: file })).toThrow(
    `Invalid configuration: RCA_OUTPUT_DIR="${file}": expected a folder this process can create and write to (EEXIST)`,
  );
  expect(() => loadRendererConfig({ RCA_OUTPUT_DIR: join(file, 'vault') })).toThrow(
    `Invalid configuration: RCA_OUTPUT_DIR="${join(file, 'vault')}": expected a folder this process can create and write to (ENOTDIR)`,
  );
  expect(existsSync(join(file, 'vault'))).toBe(false);
});

test('RCA_OUTPUT_DIR unset or empty means no vault', () => {
  expect(loadRendererConfig({}).RCA_OUTPUT_DIR).toBeUndefined();
  expect(loadRendererConfig({ RCA_OUTPUT_DIR: '' }).RCA_OUTPUT_DIR).toBeUndefined();
});
