import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { messageOf } from '@app/domain';
import { waitFor } from './environment.js';
import { freePort } from './probes.js';

/** The Debian package's binary; ALERTMANAGER_BIN points elsewhere (an upstream tarball, say). */
export const ALERTMANAGER_BIN = process.env.ALERTMANAGER_BIN ?? '/usr/bin/prometheus-alertmanager';

export interface AlertmanagerOptions {
  /** Where the webhook receiver posts: ingest's /v1/webhooks/alertmanager. */
  webhookUrl: string;
  /** Sent as `Authorization: Bearer <token>` (http_config.authorization.credentials). */
  token: string;
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
  /** Also notify PagerDuty (Events API v2, pagerduty_config) at this URL instead of events.pagerduty.com. */
  pagerDutyUrl?: string;
  /** Also notify Opsgenie (opsgenie_config) with this `api_url` instead of api.opsgenie.com. */
  opsgenieApiUrl?: string;
}

/** An alert as POST /api/v2/alerts takes it (what Prometheus sends). */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  generatorURL?: string;
}

export interface RunningAlertmanager {
  url: string;
  /** What Alertmanager printed, for failure messages. */
  output(): string;
  postAlerts(alerts: PostableAlert[]): Promise<void>;
  /** Alertmanager's own view of its alerts (GET /api/v2/alerts). */
  alerts(): Promise<{ fingerprint: string; labels: Record<string, string>; startsAt: string; endsAt: string; status: { state: string } }[]>;
  stop(): Promise<void>;
}

/**
 * A real Prometheus Alertmanager on a free port, clustering off, its storage in a temp dir, with one
 * webhook receiver (send_resolved, small group_wait/group_interval) pointing at `webhookUrl`.
 * Fails, rather than skips, when the binary is missing: the suite is part of the contract.
 */
export async function startAlertmanager(options: AlertmanagerOptions): Promise<RunningAlertmanager> {
  if (!existsSync(ALERTMANAGER_BIN)) {
    throw new Error(
      `Prometheus Alertmanager not found at ${ALERTMANAGER_BIN}. \`npm test\` fetches Debian's package into .data/alertmanager ` +
        '(scripts/alertmanager.mjs); run the tests through it, install `prometheus-alertmanager`, or set ALERTMANAGER_BIN to an alertmanager binary.',
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'aftermath-alertmanager-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = [
    'route:',
    '  receiver: aftermath',
    "  group_by: ['alertname', 'service']",
    `  group_wait: ${options.groupWait ?? '1s'}`,
    `  group_interval: ${options.groupInterval ?? '1s'}`,
    `  repeat_interval: ${options.repeatInterval ?? '1h'}`,
    'receivers:',
    '  - name: aftermath',
    '    webhook_configs:',
    `      - url: ${JSON.stringify(options.webhookUrl)}`,
    '        send_resolved: true',
    '        http_config:',
    '          authorization:',
    `            credentials: ${JSON.stringify(options.token)}`,
    ...(options.pagerDutyUrl
      ? ['    pagerduty_configs:', `      - url: ${JSON.stringify(options.pagerDutyUrl)}`, `        routing_key: ${JSON.stringify('0'.repeat(32))}`, '        send_resolved: true']
      : []),
    ...(options.opsgenieApiUrl ? ['    opsgenie_configs:', `      - api_url: ${JSON.stringify(options.opsgenieApiUrl)}`, '        api_key: test-opsgenie-key', '        send_resolved: true'] : []),
    '',
  ].join('\n');
  writeFileSync(join(dir, 'alertmanager.yml'), config);

  const lines: string[] = [];
  const child: ChildProcess = spawn(
    ALERTMANAGER_BIN,
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=info',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  for (const stream of [child.stdout!, child.stderr!]) stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
  let exited = false;
  const exit = once(child, 'exit').then(() => (exited = true));

  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await waitFor(
      async () => {
        if (exited) throw new Error(`alertmanager exited at start-up:\n${lines.join('\n')}`);
        return (await fetch(`${url}/-/ready`)).ok;
      },
      `Alertmanager ready at ${url}`,
      30_000,
    );
  } catch (error) {
    await stop();
    throw new Error(`${messageOf(error)}\n${lines.slice(-20).join('\n')}`);
  }

  return {
    url,
    output: () => lines.join('\n'),
    async postAlerts(alerts) {
      const response = await fetch(`${url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alerts) });
      if (!response.ok) throw new Error(`POST /api/v2/alerts: ${response.status} ${await response.text()}`);
    },
    async alerts() {
      return (await fetch(`${url}/api/v2/alerts`)).json() as never;
    },
    stop,
  };
}
