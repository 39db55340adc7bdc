// Prometheus's promtool, which checks the shipped alert rules (deploy/prometheus-alerts.yml) and runs their
// tests (deploy/prometheus-alerts.test.yml) in test/e2e/prometheus-alerts.e2e-spec.ts: the one named by
// PROMTOOL_BIN, the installed one, else Debian's `prometheus` package unpacked into .data/prometheus.
import { existsSync } from 'node:fs';
import { unpackedDebianBinary } from './debian-package.mjs';

const SYSTEM_BIN = '/usr/bin/promtool';

/** The path of a promtool binary, or null (with the reason logged) when none can be had here. */
export function ensurePromtool(log) {
  if (process.env.PROMTOOL_BIN) {
    if (existsSync(process.env.PROMTOOL_BIN)) return process.env.PROMTOOL_BIN;
    log(`promtool unavailable: PROMTOOL_BIN=${process.env.PROMTOOL_BIN} does not exist`);
    return null;
  }
  if (existsSync(SYSTEM_BIN)) return SYSTEM_BIN;
  return unpackedDebianBinary({ name: 'prometheus', bin: 'usr/bin/promtool', folder: 'prometheus' }, log);
}
