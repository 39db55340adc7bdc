/** A peer address of this machine: 127.0.0.0/8 or ::1, also IPv4-mapped. */
export function isLoopback(address: string | undefined): boolean {
  return !!address && (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'));
}

/**
 * A `Host` header naming this machine: `localhost` (and `*.localhost`, RFC 6761), 127.0.0.0/8 or [::1],
 * with any port. A page on another site that resolves its own name to 127.0.0.1 (DNS rebinding) still
 * sends its own name here, so a tokenless service that answers only these names cannot be read by it.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = host.toLowerCase().replace(/:\d+$/, '');
  return name === 'localhost' || name.endsWith('.localhost') || /^127(?:\.\d{1,3}){3}$/.test(name) || name === '[::1]';
}

/** Where a service listens when HOST is not set: every interface only once it has tokens to check. */
export function defaultListenHost(configured: string | undefined, tokens: readonly string[]): string {
  return configured ?? (tokens.length > 0 ? '0.0.0.0' : '127.0.0.1');
}
