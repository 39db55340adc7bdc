// The Prometheus Alertmanager binary the end-to-end tests drive: the one named by ALERTMANAGER_BIN, the
// Debian package's when installed, else Debian's package downloaded and unpacked into .data/ without
// installing anything (`apt-get download` + `dpkg-deb -x`, no root needed when the package lists are
// there), as the Kafka broker comes from Maven jars.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './infra.mjs';

const PACKAGE = 'prometheus-alertmanager';
const SYSTEM_BIN = '/usr/bin/prometheus-alertmanager';
const home = join(root, '.data', 'alertmanager');
const unpackedBin = join(home, 'root', 'usr', 'bin', 'prometheus-alertmanager');
// Debian's build reads its notification templates from this fixed folder instead of embedding them.
const TEMPLATES = '/usr/share/prometheus/alertmanager';
const TEMPLATE_FILES = ['default.tmpl', 'email.tmpl'];

/** The path of an Alertmanager binary, or null (with the reason logged) when none can be had here. */
export function ensureAlertmanager(log) {
  if (process.env.ALERTMANAGER_BIN) return existsSync(process.env.ALERTMANAGER_BIN) ? process.env.ALERTMANAGER_BIN : missing(log, `ALERTMANAGER_BIN=${process.env.ALERTMANAGER_BIN} does not exist`);
  if (existsSync(SYSTEM_BIN)) return SYSTEM_BIN;
  if (existsSync(unpackedBin)) return withTemplates(log);
  if (spawnSync('which', ['apt-get', 'dpkg-deb']).status !== 0) return missing(log, 'apt-get and dpkg-deb are not on this machine');
  mkdirSync(home, { recursive: true });
  log(`no Alertmanager installed: fetching Debian's ${PACKAGE} into .data/alertmanager (apt-get download, dpkg-deb -x)`);
  let download = aptGet(['download', PACKAGE]);
  // On a fresh machine the package lists may be empty; only root may refresh them.
  if (download.status !== 0 && process.getuid?.() === 0) {
    aptGet(['update', '-qq']);
    download = aptGet(['download', PACKAGE]);
  }
  const deb = readdirSync(home).find((name) => name.startsWith(`${PACKAGE}_`) && name.endsWith('.deb'));
  if (download.status !== 0 || !deb) return missing(log, `apt-get download ${PACKAGE} failed: ${download.stderr.trim().split('\n').pop()}`);
  rmSync(join(home, 'root'), { recursive: true, force: true });
  const unpack = spawnSync('dpkg-deb', ['-x', join(home, deb), join(home, 'root')], { encoding: 'utf8' });
  if (unpack.status !== 0 || !existsSync(unpackedBin)) return missing(log, `dpkg-deb -x ${deb} failed: ${unpack.stderr.trim()}`);
  return withTemplates(log);
}

/** The unpacked binary, once the package's templates are where the binary looks for them. */
function withTemplates(log) {
  const absent = TEMPLATE_FILES.filter((name) => !existsSync(join(TEMPLATES, name)));
  if (absent.length === 0) return unpackedBin;
  if (process.getuid?.() !== 0) {
    return missing(log, `Debian's alertmanager reads its templates from ${TEMPLATES}, where only root may put them (install prometheus-alertmanager, or run the tests once as root)`);
  }
  mkdirSync(TEMPLATES, { recursive: true });
  for (const name of absent) copyFileSync(join(home, 'root', TEMPLATES, name), join(TEMPLATES, name));
  log(`copied the package's templates (${absent.join(', ')}) to ${TEMPLATES}; nothing else installed`);
  return unpackedBin;
}

function aptGet(args) {
  return spawnSync('apt-get', args, { cwd: home, encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

function missing(log, reason) {
  log(`Alertmanager unavailable: ${reason}`);
  return null;
}
