// The web workspace as `npm start` runs it: beside the three services it started, on whatever ports they
// were given, presenting their tokens as docker-compose.yml does. Without WEB_READ_TOKEN/WEB_INGEST_TOKEN,
// `READ_TOKENS=... npm start` would give a workspace that every read of the timeline refuses (401).

/** `env` for apps/web under `npm start`: the services' URLs and tokens unless set for the workspace itself. */
export function webEnvironment(env = process.env) {
  const local = (variable, port) => env[variable] || `http://127.0.0.1:${port}`;
  return {
    ...env,
    INGEST_URL: local('INGEST_URL', env.INGEST_PORT || 3001),
    TIMELINE_URL: local('TIMELINE_URL', env.TIMELINE_PORT || 3002),
    RENDERER_URL: local('RENDERER_URL', env.RENDERER_PORT || 3003),
    // The workspace presents the first token of a comma-separated list.
    ...(env.READ_TOKENS && !env.WEB_READ_TOKEN ? { WEB_READ_TOKEN: env.READ_TOKENS } : {}),
    ...(env.INGEST_TOKENS && !env.WEB_INGEST_TOKEN ? { WEB_INGEST_TOKEN: env.INGEST_TOKENS } : {}),
  };
}
