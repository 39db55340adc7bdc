import type { MigrationInterface, QueryRunner } from 'typeorm';
import { setToastCompression } from '@app/platform';

const COLUMNS = [
  ['incidents', 'state'],
  ['events', 'payload'],
  ['event_conflicts', 'payload'],
] as const;

/** lz4 for the columns whose values PostgreSQL compresses: see setToastCompression. */
export class Lz4Compression1764252000000 implements MigrationInterface {
  name = 'Lz4Compression1764252000000';

  async up(runner: QueryRunner): Promise<void> {
    await setToastCompression(runner, COLUMNS, 'lz4');
  }

  async down(runner: QueryRunner): Promise<void> {
    await setToastCompression(runner, COLUMNS, 'default');
  }
}
