import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { TLSSocket } from 'node:tls';

const SSL_REQUEST = 80877103;
const PROTOCOL_3 = 196608;

export interface Refusal {
  code: string;
  message: string;
}

/**
 * A stand-in for PgBouncer or a managed PostgreSQL endpoint: forwards connections to `upstream` unless
 * `refuse` returns the FATAL error to answer for that database (the `postgres` maintenance database, say).
 * With `tls` (PEM key and certificate) it accepts PostgreSQL's SSLRequest and speaks TLS to the client, as
 * a server with `ssl = on` does, and plain to the upstream. Reads only the start-up message; everything
 * after it is piped through.
 */
export async function startDatabasePooler(
  upstream: { host: string; port: number },
  refuse: (database: string) => Refusal | null,
  tls?: { key: string; cert: string },
): Promise<{ port: number; refused: string[]; tlsClients: () => number; close(): Promise<void> }> {
  const refused: string[] = [];
  let tlsClients = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((plain) => {
    let client: Socket = plain;
    sockets.add(client);
    plain.on('close', () => sockets.delete(plain));
    client.on('error', () => undefined);
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length < 8 || buffered.length < buffered.readInt32BE(0)) return;
      const length = buffered.readInt32BE(0);
      const code = buffered.readInt32BE(4);
      if (code === SSL_REQUEST) {
        buffered = buffered.subarray(length);
        if (!tls) {
          client.write('N');
          return;
        }
        client.off('data', onData);
        client.write('S');
        client = new TLSSocket(plain, { isServer: true, ...tls });
        client.on('secure', () => (tlsClients += 1));
        client.on('error', () => plain.destroy());
        client.on('data', onData);
        return;
      }
      client.off('data', onData);
      const database = code === PROTOCOL_3 ? startupParameters(buffered.subarray(8, length)).database : '?';
      const refusal = refuse(database);
      if (refusal) {
        refused.push(database);
        client.end(errorResponse(refusal));
        return;
      }
      const server = createConnection(upstream, () => {
        server.write(buffered);
        client.pipe(server).pipe(client);
      });
      sockets.add(server);
      server.on('close', () => sockets.delete(server));
      server.on('error', () => client.destroy());
      client.on('close', () => server.destroy());
    };
    client.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    refused,
    tlsClients: () => tlsClients,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** key\0value\0 pairs; `database` defaults to `user` as in PostgreSQL. */
function startupParameters(body: Buffer): Record<string, string> {
  const parts = body.toString('utf8').split('\0');
  const parameters: Record<string, string> = {};
  for (let i = 0; i + 1 < parts.length && parts[i] !== ''; i += 2) parameters[parts[i]!] = parts[i + 1]!;
  return { ...parameters, database: parameters.database ?? parameters.user ?? '' };
}

function errorResponse({ code, message }: Refusal): Buffer {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0\0`, 'utf8');
  const header = Buffer.alloc(5);
  header.write('E', 0);
  header.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([header, fields]);
}
