// A binary of a Debian package, for the tests that drive a real outside tool: downloaded and unpacked into
// .data/<folder>/ without installing anything (`apt-get download` + `dpkg-deb -x`; no root needed when the
// package lists are there), as the Kafka broker comes from Maven jars.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './infra.mjs';

/**
 * The path of `bin` (a path inside the package, e.g. usr/bin/promtool) unpacked from Debian's package
 * `name` into .data/<folder>/root, fetching it when absent; null with the reason logged when it cannot be had.
 */
export function unpackedDebianBinary({ name, bin, folder }, log) {
  const home = join(root, '.data', folder);
  const unpacked = join(home, 'root', bin);
  if (existsSync(unpacked)) return unpacked;
  if (spawnSync('which', ['apt-get', 'dpkg-deb']).status !== 0) return missing(log, name, 'apt-get and dpkg-deb are not on this machine');
  mkdirSync(home, { recursive: true });
  log(`fetching Debian's ${name} into .data/${folder} (apt-get download, dpkg-deb -x; nothing is installed)`);
  let download = aptGet(home, ['download', name]);
  // On a fresh machine the package lists may be empty; only root may refresh them.
  if (download.status !== 0 && process.getuid?.() === 0) {
    aptGet(home, ['update', '-qq']);
    download = aptGet(home, ['download', name]);
  }
  const deb = readdirSync(home).find((file) => file.startsWith(`${name}_`) && file.endsWith('.deb'));
  if (download.status !== 0 || !deb) return missing(log, name, `apt-get download ${name} failed: ${download.stderr.trim().split('\n').pop()}`);
  rmSync(join(home, 'root'), { recursive: true, force: true });
  const unpack = spawnSync('dpkg-deb', ['-x', join(home, deb), join(home, 'root')], { encoding: 'utf8' });
  if (unpack.status !== 0 || !existsSync(unpacked)) return missing(log, name, `dpkg-deb -x ${deb} failed: ${unpack.stderr.trim()}`);
  return unpacked;
}

function aptGet(cwd, args) {
  return spawnSync('apt-get', args, { cwd, encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

function missing(log, name, reason) {
  log(`${name} unavailable: ${reason}`);
  return null;
}
