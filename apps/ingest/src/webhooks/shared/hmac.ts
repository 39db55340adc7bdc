import { createHmac, timingSafeEqual } from 'node:crypto';

export const hmacSha256 = (secret: string, ...parts: (string | Buffer)[]): Buffer => {
  const hmac = createHmac('sha256', secret);
  for (const part of parts) hmac.update(part);
  return hmac.digest();
};

/**
 * Compares a presented hex signature with the expected digest in constant time. Malformed hex is a
 * mismatch; checking the shape first keeps `timingSafeEqual` on equal-length buffers, as it requires.
 */
export function hexSignatureMatches(presentedHex: string, expected: Buffer): boolean {
  if (!/^[0-9a-f]+$/i.test(presentedHex) || presentedHex.length !== expected.length * 2) return false;
  return timingSafeEqual(Buffer.from(presentedHex, 'hex'), expected);
}
