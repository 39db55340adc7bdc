import { join } from 'node:path';

// `npm start` runs the workspace beside the services it started (scripts/start.mjs); it must reach them
// on their ports and present their tokens, or `READ_TOKENS=... npm start` serves pages that are all 503.
type Environment = Record<string, string | undefined>;
const modulePath = join(import.meta.dirname, '..', '..', 'scripts', 'web-environment.mjs');
const { webEnvironment } = (await import(modulePath)) as { webEnvironment: (env: Environment) => Environment };

const shown = (env: Environment) => {
  const web = webEnvironment(env);
  return { INGEST_URL: web.INGEST_URL, TIMELINE_URL: web.TIMELINE_URL, RENDERER_URL: web.RENDERER_URL, WEB_READ_TOKEN: web.WEB_READ_TOKEN, WEB_INGEST_TOKEN: web.WEB_INGEST_TOKEN };
};

test('without settings: the default ports, no token', () => {
  expect(shown({})).toEqual({
    INGEST_URL: 'http://127.0.0.1:3001',
    TIMELINE_URL: 'http://127.0.0.1:3002',
    RENDERER_URL: 'http://127.0.0.1:3003',
    WEB_READ_TOKEN: undefined,
    WEB_INGEST_TOKEN: undefined,
  });
});

test('follows the ports the services were given, and presents their tokens', () => {
  expect(shown({ INGEST_PORT: '4001', TIMELINE_PORT: '4002', RENDERER_PORT: '4003', READ_TOKENS: 'read-token-0123456789,read-2', INGEST_TOKENS: 'ingest-token-0123456789' })).toEqual({
    INGEST_URL: 'http://127.0.0.1:4001',
    TIMELINE_URL: 'http://127.0.0.1:4002',
    RENDERER_URL: 'http://127.0.0.1:4003',
    WEB_READ_TOKEN: 'read-token-0123456789,read-2',
    WEB_INGEST_TOKEN: 'ingest-token-0123456789',
  });
});

test("the workspace's own settings win", () => {
  const env = { TIMELINE_URL: 'http://timeline.internal:80', READ_TOKENS: 'read-token-0123456789', WEB_READ_TOKEN: 'web-read-token-0123456789' };
  expect(shown(env)).toMatchObject({ TIMELINE_URL: 'http://timeline.internal:80', WEB_READ_TOKEN: 'web-read-token-0123456789' });
});
