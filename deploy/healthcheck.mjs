// Container health check, without curl or wget in the image:
//   node deploy/healthcheck.mjs [PORT ...] [--path /health/ready]
// Exits 0 when any given port answers 200 on the path (default /health/ready: Kafka and the database
// work). Without ports it tries the service ports from the environment (INGEST_PORT, TIMELINE_PORT,
// RENDERER_PORT, WEB_PORT, NOTIFIER_PORT, defaults 3001-3005): one image runs any of the five services.
const args = process.argv.slice(2);
const pathIndex = args.indexOf('--path');
const path = pathIndex === -1 ? '/health/ready' : args.splice(pathIndex, 2)[1];
const ports = args.length > 0 ? args : [process.env.INGEST_PORT || '3001', process.env.TIMELINE_PORT || '3002', process.env.RENDERER_PORT || '3003', process.env.WEB_PORT || '3004', process.env.NOTIFIER_PORT || '3005'];

const probe = async (port) => {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(2500) });
  if (!response.ok) throw new Error(`${port}: HTTP ${response.status}`);
};

try {
  await Promise.any(ports.map(probe));
  process.exit(0);
} catch (error) {
  const reasons = error instanceof AggregateError ? error.errors.map((e) => e.message) : [String(error)];
  process.stderr.write(`unhealthy: ${reasons.join('; ')}\n`);
  process.exit(1);
}
