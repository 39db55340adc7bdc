import { request as httpRequest } from 'node:http';

/**
 * One HTTP request with the `Host` header of the caller's choosing: fetch always sends the URL's own,
 * while a browser on a name rebound to 127.0.0.1 (DNS rebinding) or a forged request sends another.
 */
export function withHost(
  url: string,
  host: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; contentType: string | undefined; text: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { method: init.method ?? 'GET', headers: { ...init.headers, host } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, contentType: response.headers['content-type'], text: Buffer.concat(chunks).toString('utf8') }));
    });
    outgoing.on('error', reject);
    outgoing.end(init.body);
  });
}
