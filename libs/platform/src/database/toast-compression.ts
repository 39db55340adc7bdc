import type { QueryRunner } from 'typeorm';

/**
 * Sets the TOAST compression of large columns (projected states, RCA markdown) to lz4, which
 * PostgreSQL compresses faster than its default pglz: in the end-to-end benchmark PostgreSQL was the
 * busiest process and rewriting compressed states a good part of its work (docs/benchmarks.md).
 * Only new values change. PostgreSQL before 14, or built without lz4, keeps pglz: the statement is run
 * as dynamic SQL so that its refusal can be caught, and a notice says so.
 */
export async function setToastCompression(runner: QueryRunner, columns: readonly (readonly [table: string, column: string])[], method: 'lz4' | 'default'): Promise<void> {
  const statements = columns.map(([table, column]) => `EXECUTE ${quote(`ALTER TABLE ${table} ALTER COLUMN ${column} SET COMPRESSION ${method}`)};`).join('\n    ');
  await runner.query(`
  DO $$
  BEGIN
    ${statements}
  EXCEPTION WHEN feature_not_supported OR syntax_error OR invalid_parameter_value THEN
    RAISE NOTICE 'TOAST compression stays as it was: %', SQLERRM;
  END $$`);
}

const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;
