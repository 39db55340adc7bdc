// The Prometheus Alertmanager binary the end-to-end tests drive: the one named by ALERTMANAGER_BIN, the
// Debian package's when installed, else Debian's package downloaded and unpacked into .data/ without
// installing anything (`apt-get download` + `dpkg-deb -x`, no root needed when the package lists are
// there), as the Kafka broker comes from Maven jars.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { unpackedDebianBinary } from './debian-package.mjs';
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
  return unpackedDebianBinary({ name: PACKAGE, bin: 'usr/bin/prometheus-alertmanager', folder: 'alertmanager' }, log) && withTemplates(log);
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

function missing(log, reason) {
  log(`Alertmanager unavailable: ${reason}`);
  return null;
}
