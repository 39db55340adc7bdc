// Small helpers shared by the chaos harness: time, logging, ports, child commands.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const started = performance.now();
/** Seconds since the harness started, for log lines. */
export const clock = () => (performance.now() - started) / 1000;

// A reader that went away (`| head`) must not kill the run before it cleaned up.
process.stderr.on('error', () => undefined);
process.stdout.on('error', () => undefined);

export function log(line) {
  process.stderr.write(`chaos [${clock().toFixed(1).padStart(6)}s] ${line}\n`);
}

export const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** True when nothing listens on 127.0.0.1:port (we can bind it). */
export function portFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port the kernel says is free right now. */
export function anyFreePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * `preferred` when it (and the `span - 1` ports after it) are free, else the first free block of
 * `span` ports from a pseudo-random start, so a parallel run never lands on another run's ports.
 */
export async function choosePort(preferred, span = 1) {
  const blockFree = async (first) => {
    for (let p = first; p < first + span; p += 1) if (!(await portFree(p))) return false;
    return true;
  };
  if (preferred && (await blockFree(preferred))) return preferred;
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const candidate = 30000 + Math.floor(Math.random() * 25000);
    if (await blockFree(candidate)) return candidate;
  }
  throw new Error(`no free block of ${span} port(s) found`);
}

/** Polls `probe` every `everyMs` until it returns a truthy value, or throws after `timeoutMs`. */
export async function waitUntil(probe, { what, timeoutMs = 60_000, everyMs = 250 }) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${seconds(timeoutMs)} waiting for ${what}${lastError ? `: ${lastError.message}` : ''}`);
    }
    await sleep(everyMs);
  }
}

/**
 * Runs a command to completion; resolves {code, stdout, stderr}. `timeoutMs` kills it (SIGKILL)
 * when it overruns. `uid`/`gid` run it as another user (only when we are root).
 */
export function runCommand(command, args, { env, cwd = root, timeoutMs = 120_000, uid, gid } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], uid, gid });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ code: 127, stdout, stderr: `${stderr}${error.message}` });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 0), signal, stdout, stderr });
    });
  });
}

/** Is the process with this pid alive? */
export function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** A deterministic PRNG (mulberry32), so a seed reproduces a run's events and batches: the benchmarks' own. */
export { rng as random } from '../../bench/lib/events.mjs';

export function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
