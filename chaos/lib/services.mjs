// ingest and timeline as child processes (`node apps/<svc>/dist/main.js`), the way an operator runs them,
// so the harness can SIGKILL or SIGTERM them. An exit the harness did not cause is recorded as a crash,
// and the service is started again, as a supervisor (systemd, Kubernetes) would.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serviceEnvironment } from '../../scripts/service-node-options.mjs';
import { clock, root, sleep, waitUntil } from './util.mjs';

export class Service {
  constructor({ name, port, env, logFile, log, onSpawn = () => undefined }) {
    this.onSpawn = onSpawn;
    this.name = name;
    this.port = port;
    // With the heap limits the services are deployed with.
    this.env = serviceEnvironment(env);
    this.logFile = logFile;
    this.log = log;
    this.child = null;
    this.expectingExit = false;
    this.crashes = [];
    this.starts = 0;
    this.exited = null;
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Spawns the process and waits until GET /health/ready answers 200. */
  async start({ readyTimeoutMs = 90_000 } = {}) {
    const fd = openSync(this.logFile, 'a');
    this.expectingExit = false;
    this.starts += 1;
    const child = spawn(process.execPath, [join(root, `apps/${this.name}/dist/main.js`)], {
      cwd: root,
      env: this.env,
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    this.child = child;
    this.onSpawn(child.pid);
    this.starting = true;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        if (this.child === child) this.child = null;
        // an exit while starting fails start() instead (no restart loop)
        if (!this.expectingExit && !this.starting) this.onCrash(code, signal);
        resolve({ code, signal });
      });
    });
    let ready = false;
    const exitedEarly = this.exited.then(({ code, signal }) => {
      if (!ready) throw new Error(`${this.name} exited while starting (code ${code}, signal ${signal}); last log lines:\n${this.logTail()}`);
    });
    exitedEarly.catch(() => undefined);
    const becameReady = waitUntil(
      async () => {
        const response = await fetch(`${this.url}/health/ready`, { signal: AbortSignal.timeout(5_000) });
        await response.arrayBuffer();
        return response.status === 200;
      },
      { what: `${this.name} to be ready`, timeoutMs: readyTimeoutMs, everyMs: 200 },
    );
    becameReady.catch(() => undefined);
    try {
      await Promise.race([becameReady, exitedEarly]);
      ready = true;
    } catch (error) {
      // a start that timed out still has to go: stop it rather than leave it running
      if (this.child === child) {
        this.expectingExit = true;
        child.kill('SIGKILL');
      }
      throw error;
    } finally {
      this.starting = false;
    }
  }

  onCrash(code, signal) {
    const crash = { at: clock(), code, signal };
    this.crashes.push(crash);
    this.log(`UNEXPECTED: ${this.name} exited by itself (code ${code}, signal ${signal}); restarting it. Last log lines:\n${this.logTail(15)}`);
    this.restarting = (async () => {
      await sleep(1_000);
      await this.start().catch((error) => this.log(`restarting ${this.name} failed: ${error.message}`));
    })();
  }

  /** Sends `signal` and waits for the exit (SIGKILL after `graceMs`). Resolves {code, signal, ms, forced}. */
  async stop(signal = 'SIGTERM', graceMs = 30_000) {
    const child = this.child;
    if (!child) return { code: null, signal: null, ms: 0, forced: false };
    this.expectingExit = true;
    const t0 = performance.now();
    const exited = this.exited;
    child.kill(signal);
    let forced = false;
    const timer = setTimeout(() => {
      forced = true;
      child.kill('SIGKILL');
    }, graceMs);
    const result = await exited;
    clearTimeout(timer);
    return { ...result, ms: performance.now() - t0, forced };
  }

  async ready() {
    try {
      const response = await fetch(`${this.url}/health/ready`, { signal: AbortSignal.timeout(5_000) });
      await response.arrayBuffer();
      return response.status === 200;
    } catch {
      return false;
    }
  }

  logTail(lines = 20) {
    try {
      return readFileSync(this.logFile, 'utf8')
        .trimEnd()
        .split('\n')
        .slice(-lines)
        .map((line) => (line.length > 400 ? `${line.slice(0, 400)}...` : line))
        .join('\n');
    } catch {
      return '';
    }
  }

  /** Last-resort cleanup: no waiting on anything. */
  kill() {
    if (this.child) {
      this.expectingExit = true;
      this.child.kill('SIGKILL');
    }
  }
}
