import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Which incident owns each file name of the RCA vault (RCA_OUTPUT_DIR), so two incidents never share one. */
export class VaultFiles1764900000000 implements MigrationInterface {
  name = 'VaultFiles1764900000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE vault_files (file_name text PRIMARY KEY, incident_id text NOT NULL)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE vault_files`);
  }
}
