// A private, throw-away PostgreSQL cluster (initdb + pg_ctl from the machine's PostgreSQL binaries),
// so the harness can crash and restart it without touching the shared one on 5432.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, chownSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { runCommand, waitUntil } from './util.mjs';

/** The newest Debian PostgreSQL bin dir, `CHAOS_PG_BIN`, or whatever `pg_config --bindir` names. */
export async function findPostgresBin() {
  if (process.env.CHAOS_PG_BIN) return process.env.CHAOS_PG_BIN;
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length > 0) return join(base, versions[0], 'bin');
  }
  const fromConfig = await runCommand('pg_config', ['--bindir']);
  if (fromConfig.code === 0 && existsSync(join(fromConfig.stdout.trim(), 'initdb'))) return fromConfig.stdout.trim();
  throw new Error('no PostgreSQL server binaries found (looked in /usr/lib/postgresql/*/bin and pg_config); install postgresql or set CHAOS_PG_BIN');
}

/** initdb refuses to run as root: as root, the cluster belongs to the `postgres` OS user. */
async function runAs() {
  if (process.getuid?.() !== 0) return {};
  const uid = await runCommand('id', ['-u', 'postgres']);
  const gid = await runCommand('id', ['-g', 'postgres']);
  if (uid.code !== 0 || gid.code !== 0) throw new Error('running as root and there is no `postgres` OS user to own the private cluster');
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

export class PrivatePostgres {
  constructor({ port, log }) {
    this.port = port;
    this.log = log;
    this.base = null;
    this.running = false;
  }

  get url() {
    return `postgres://postgres@127.0.0.1:${this.port}/aftermath`;
  }

  get dataDir() {
    return join(this.base, 'data');
  }

  async init() {
    this.bin = await findPostgresBin();
    this.user = await runAs();
    // Under /tmp (world-traversable), so the postgres user can reach it whatever the repo's path.
    this.base = mkdtempSync(join(tmpdir(), 'aftermath-chaos-pg-'));
    if (this.user.uid !== undefined) chownSync(this.base, this.user.uid, this.user.gid);
    const result = await runCommand(join(this.bin, 'initdb'), ['-D', this.dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'], {
      ...this.user,
      cwd: this.base,
      timeoutMs: 120_000,
    });
    if (result.code !== 0) throw new Error(`initdb failed: ${result.stderr.trim() || result.stdout.trim()}`);
  }

  async start() {
    const options = [
      `-c port=${this.port}`,
      '-c listen_addresses=127.0.0.1',
      `-c unix_socket_directories=${this.base}`,
      '-c max_connections=100',
      '-c fsync=on',
      '-c synchronous_commit=on',
    ].join(' ');
    const result = await runCommand(join(this.bin, 'pg_ctl'), ['-D', this.dataDir, '-l', join(this.base, 'postgres.log'), '-o', options, '-w', '-t', '90', 'start'], {
      ...this.user,
      cwd: this.base,
      timeoutMs: 100_000,
    });
    if (result.code !== 0) throw new Error(`pg_ctl start failed: ${result.stderr.trim() || result.stdout.trim()}\n${this.logTail()}`);
    this.running = true;
    await waitUntil(() => this.query('SELECT 1', [], 'postgres').then(() => true), { what: 'PostgreSQL to accept connections', timeoutMs: 30_000 });
  }

  /** `immediate` is a crash as far as clients are concerned: no checkpoint, WAL replay at the next start. */
  async stop(mode = 'fast') {
    if (!this.base || !existsSync(join(this.dataDir, 'postmaster.pid'))) {
      this.running = false;
      return;
    }
    const result = await runCommand(join(this.bin, 'pg_ctl'), ['-D', this.dataDir, '-m', mode, '-w', '-t', '60', 'stop'], { ...this.user, cwd: this.base, timeoutMs: 70_000 });
    this.running = false;
    if (result.code !== 0 && existsSync(join(this.dataDir, 'postmaster.pid'))) {
      throw new Error(`pg_ctl stop failed: ${result.stderr.trim() || result.stdout.trim()}`);
    }
  }

  async query(sql, params = [], database = 'aftermath') {
    const client = new pg.Client({ host: '127.0.0.1', port: this.port, user: 'postgres', database, connectionTimeoutMillis: 5_000 });
    client.on('error', () => undefined);
    await client.connect();
    try {
      return (await client.query(sql, params)).rows;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  logTail(lines = 20) {
    try {
      return readFileSync(join(this.base, 'postgres.log'), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  async destroy() {
    if (!this.base) return;
    await this.stop('immediate').catch((error) => this.log(`could not stop the private PostgreSQL: ${error.message}`));
    rmSync(this.base, { recursive: true, force: true });
    this.base = null;
  }
}

/** Stops a cluster a killed earlier run left behind (its data dir is under /tmp). */
export async function stopLeftoverPostgres(base) {
  if (!base || !existsSync(join(base, 'data', 'postmaster.pid'))) return rmSync(base, { recursive: true, force: true });
  const bin = await findPostgresBin();
  await runCommand(join(bin, 'pg_ctl'), ['-D', join(base, 'data'), '-m', 'immediate', '-w', 'stop'], { ...(await runAs()), cwd: tmpdir(), timeoutMs: 60_000 });
  rmSync(base, { recursive: true, force: true });
}
