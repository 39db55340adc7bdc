// The services as child processes (`node apps/<svc>/dist/main.js`), with their resident memory sampled
// from /proc/<pid>/status, and an optional CPU profile (bench/lib/cpu-profile.mjs, written on SIGUSR2).
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, freePort, sleep, waitFor } from './common.mjs';
import { serviceEnvironment } from '../../scripts/service-node-options.mjs';

const PORT_VARIABLE = { ingest: 'INGEST_PORT', timeline: 'TIMELINE_PORT', renderer: 'RENDERER_PORT', web: 'WEB_PORT' };
const HOST_VARIABLE = { ingest: 'INGEST_HOST', timeline: 'TIMELINE_HOST', renderer: 'RENDERER_HOST', web: 'WEB_HOST' };

export function assertBuilt() {
  for (const file of ['apps/ingest/dist/main.js', 'apps/timeline/dist/main.js', 'apps/renderer/dist/main.js', 'libs/domain/dist/index.js', 'libs/platform/dist/index.js']) {
    if (!existsSync(join(ROOT, file))) throw new Error(`${file} is missing: run \`npm run build\` first`);
  }
}

/** A module of the BUILT code (`apps/<svc>/dist/...`, `libs/<lib>/dist/...`), for benchmarks that run it in-process. */
export async function importBuilt(path) {
  // Nest's decorators read their metadata through reflect-metadata, which each service's main.js loads first.
  await import('reflect-metadata');
  return import(pathToFileURL(join(ROOT, path)).href);
}

function readStatus(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
    return { rssKiB: kb('VmRSS'), hwmKiB: kb('VmHWM') };
  } catch {
    return null;
  }
}

/** Starts one service and waits until GET /health/ready answers 200. */
export async function startService(name, env, { cpuProfile = null, extraEnv = {} } = {}) {
  const port = await freePort();
  const args = [];
  if (cpuProfile) args.push('--import', join(ROOT, 'bench/lib/cpu-profile.mjs'));
  args.push(join(ROOT, `apps/${name}/dist/main.js`));
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    // The heap limits the services are deployed with (NODE_OPTIONS, when set, replaces them).
    env: { ...serviceEnvironment(), ...env, [PORT_VARIABLE[name]]: String(port), [HOST_VARIABLE[name]]: '127.0.0.1', ...(cpuProfile ? { BENCH_CPU_PROFILE: cpuProfile } : {}), ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = [];
  // BENCH_SERVICE_LOGS=<folder>: the services' output is also written to <folder>/<name>-<pid>.log.
  const logFile = process.env.BENCH_SERVICE_LOGS ? join(process.env.BENCH_SERVICE_LOGS, `${name}-${child.pid}.log`) : null;
  if (logFile) mkdirSync(process.env.BENCH_SERVICE_LOGS, { recursive: true });
  const keep = (chunk) => {
    if (logFile) appendFileSync(logFile, chunk);
    for (const line of chunk.toString('utf8').split('\n')) if (line) output.push(line);
    if (output.length > 400) output.splice(0, output.length - 400);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  const exit = new Promise((resolve) => child.once('exit', (code, signal) => resolve((exited = { code, signal }))));
  const memory = { peakRssKiB: 0, peakHwmKiB: 0, samples: 0, lastRssKiB: 0 };
  const sampler = setInterval(() => {
    const status = readStatus(child.pid);
    if (!status) return;
    memory.samples += 1;
    memory.lastRssKiB = status.rssKiB;
    memory.peakRssKiB = Math.max(memory.peakRssKiB, status.rssKiB);
    memory.peakHwmKiB = Math.max(memory.peakHwmKiB, status.hwmKiB);
  }, 100);
  const url = `http://127.0.0.1:${port}`;
  const service = {
    name,
    pid: child.pid,
    url,
    memory,
    output,
    async metrics() {
      const response = await fetch(`${url}/metrics`);
      return parsePrometheus(await response.text());
    },
    /** Stops the CPU profile (written to the path given), when one runs. */
    async writeProfile() {
      if (!cpuProfile) return null;
      process.kill(child.pid, 'SIGUSR2');
      await waitFor(async () => existsSync(cpuProfile), `the CPU profile of ${name}`, 30_000);
      await sleep(300);
      return cpuProfile;
    },
    async stop() {
      clearInterval(sampler);
      if (exited) return exited;
      const final = readStatus(child.pid);
      if (final) memory.peakHwmKiB = Math.max(memory.peakHwmKiB, final.hwmKiB);
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const result = await exit;
      clearTimeout(timer);
      return result;
    },
    peakMiB: () => Math.max(memory.peakHwmKiB, memory.peakRssKiB) / 1024,
    /** Peak resident memory in MB (10^6 bytes), the unit of the issue's target. */
    peakMB: () => (Math.max(memory.peakHwmKiB, memory.peakRssKiB) * 1024) / 1e6,
  };
  try {
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (exited) throw new Error(`${name} exited during start-up (${exited.code ?? exited.signal})`);
      const ready = await fetch(`${url}/health/ready`).then((response) => response.status === 200, () => false);
      if (ready) {
        memory.readyRssKiB = readStatus(child.pid)?.rssKiB ?? 0;
        break;
      }
      if (Date.now() > deadline) throw new Error(`${name} was not ready within 90 s`);
      await sleep(200);
    }
  } catch (error) {
    console.error(`${name} did not start${exited ? ` (exit ${exited.code ?? exited.signal})` : ''}:\n${output.slice(-40).join('\n')}`);
    await service.stop();
    throw error;
  }
  return service;
}

/** Prometheus text -> { 'name{labels}': value }. */
export function parsePrometheus(text) {
  const values = {};
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    values[line.slice(0, space)] = Number(line.slice(space + 1));
  }
  return values;
}

/** The sum of every series of a metric whose name (and labels) start with `prefix`. */
export function metricSum(values, prefix) {
  let total = 0;
  for (const [key, value] of Object.entries(values)) if (key === prefix || key.startsWith(`${prefix}{`)) total += value;
  return total;
}
