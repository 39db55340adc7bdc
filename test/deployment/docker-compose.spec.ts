import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadIngestConfig } from '../../apps/ingest/src/config.js';
import { loadNotifierConfig } from '../../apps/notifier/src/config.js';
import { loadRendererConfig } from '../../apps/renderer/src/config.js';
import { loadTimelineConfig } from '../../apps/timeline/src/config.js';
import { loadWebConfig } from '../../apps/web/src/config.js';

/*
 * docker-compose.yml is what most people run first, so it must be locked down as shipped (issue 12):
 * no default token, no published Kafka or PostgreSQL port, and what it passes the services is taken by
 * their configuration. Read as text: docker compose is not on the development machine, and the
 * services are (sections are the two-space-indented names under `services:`).
 */
const compose = readFileSync(join(import.meta.dirname, '..', '..', 'docker-compose.yml'), 'utf8');
const services = new Map(
  compose
    .slice(compose.indexOf('\nservices:\n'))
    .split(/\n(?=  [a-z]+:\n)/)
    .slice(1)
    .map((section) => [/^ {2}([a-z]+):/.exec(section)![1]!, section.replace(/\nvolumes:\n[\s\S]*$/, '')]),
);
/** `NAME: value` lines of a service's environment, with the shared anchor's. */
const environmentOf = (service: string) => {
  const lines = [...compose.matchAll(/^ {2}([A-Z_]+): (.+)$/gm), ...services.get(service)!.matchAll(/^ {6}([A-Z_]+): (.+)$/gm)];
  return new Map(lines.map(([, name, value]) => [name!, value!.trim()]));
};
/** What compose hands over for `${VAR:?...}` once the operator set VAR, and for `${VAR:-default}` unset. */
const interpolate = (value: string, operator: Record<string, string>) =>
  value.replace(/\$\{([A-Z_]+)(?::([?-])([^}]*))?\}/g, (_all, name: string, kind?: string, fallback?: string) => operator[name] ?? (kind === '-' ? (fallback ?? '') : ''));

test('the file has the seven services', () => {
  expect([...services.keys()]).toEqual(['kafka', 'postgres', 'ingest', 'timeline', 'renderer', 'notifier', 'web']);
});

test.each(['kafka', 'postgres'])('%s publishes no port: only the services reach it, on the compose network', (service) => {
  expect(services.get(service)).not.toMatch(/^ {4}ports:/m);
  expect(services.get(service)).not.toMatch(/ADVERTISED_LISTENERS: .*localhost/);
});

test('no token or secret has a default: compose refuses to start without each token list, and an integration token is empty unless set', () => {
  expect(compose).not.toMatch(/change-?me/i);
  for (const service of ['ingest', 'timeline', 'renderer', 'notifier', 'web']) {
    for (const [name, value] of environmentOf(service)) {
      if (!/TOKEN/.test(name)) continue;
      expect([service, name, value]).toEqual([service, name, expect.stringMatching(/^\$\{[A-Z_]+TOKENS:\?.+\}$|^\$\{SLACK_BOT_TOKEN:-\}$/)]);
    }
  }
});

test('with the tokens an operator sets, every service takes its configuration, and the web workspace presents one of each', () => {
  const operator = { INGEST_TOKENS: 'ingest-token-0123456789,ingest-token-rotated-01', READ_TOKENS: 'read-token-0123456789abc', ADMIN_TOKENS: 'admin-token-0123456789ab' };
  const env = (service: string) => Object.fromEntries([...environmentOf(service)].map(([name, value]) => [name, interpolate(value, operator)]));
  expect(loadIngestConfig(env('ingest'))).toMatchObject({
    INGEST_TOKENS: ['ingest-token-0123456789', 'ingest-token-rotated-01'],
    ADMIN_TOKENS: ['admin-token-0123456789ab'],
    INGEST_HOST: '0.0.0.0',
    // The replay routes read the stored dead letter from the timeline, with the operator's (shared) ADMIN_TOKENS.
    TIMELINE_URL: 'http://timeline:3002',
  });
  expect(loadTimelineConfig(env('timeline'))).toMatchObject({ READ_TOKENS: ['read-token-0123456789abc'], ADMIN_TOKENS: ['admin-token-0123456789ab'], TIMELINE_HOST: '0.0.0.0' });
  expect(loadRendererConfig(env('renderer'))).toMatchObject({ READ_TOKENS: ['read-token-0123456789abc'], RENDERER_HOST: '0.0.0.0' });
  expect(loadNotifierConfig(env('notifier'))).toMatchObject({ READ_TOKENS: ['read-token-0123456789abc'], ADMIN_TOKENS: ['admin-token-0123456789ab'], NOTIFIER_HOST: '0.0.0.0', SLACK_BOT_TOKEN: undefined, OUTBOUND_WEBHOOKS_FILE: [] });
  expect(loadWebConfig(env('web'))).toMatchObject({ WEB_READ_TOKEN: 'read-token-0123456789abc', WEB_INGEST_TOKEN: 'ingest-token-0123456789' });
});

test('a weak token an operator sets stops the service at start-up, naming the variable without showing the token', () => {
  expect(() => loadTimelineConfig({ READ_TOKENS: 'change-me', ADMIN_TOKENS: 'admin-token-0123456789ab' })).toThrow(/^Invalid configuration: READ_TOKENS=\(9 characters, hidden\): token 1 is weak/);
});
