import { once } from 'node:events';
import { createServer } from 'node:net';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A TCP port nothing listens on right now, for a process a test starts. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** Sum of a Prometheus sample over the series whose labels match `labels` (a RegExp matches the value). */
export async function metric(baseUrl: string, name: string, labels: Record<string, string | RegExp> = {}): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = new Map([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
    const matches = Object.entries(labels).every(([key, want]) => {
      const value = present.get(key);
      return value !== undefined && (typeof want === 'string' ? value === want : want.test(value));
    });
    if (matches) total += Number(match[3]);
  }
  return total;
}
