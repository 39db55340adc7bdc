import type { MigrationInterface, QueryRunner } from 'typeorm';
import { setToastCompression } from '@app/platform';

const COLUMNS = [
  ['renderer_incidents', 'state'],
  ['renderer_events', 'payload'],
  ['rca_drafts', 'markdown'],
] as const;

/** lz4 for the columns whose values PostgreSQL compresses: see setToastCompression. */
export class Lz4Compression1764252100000 implements MigrationInterface {
  name = 'Lz4Compression1764252100000';

  async up(runner: QueryRunner): Promise<void> {
    await setToastCompression(runner, COLUMNS, 'lz4');
  }

  async down(runner: QueryRunner): Promise<void> {
    await setToastCompression(runner, COLUMNS, 'default');
  }
}
