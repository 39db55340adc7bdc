/*
 * Alertmanager before 0.19 sent no `fingerprint`. Its alerts are identified by the fingerprint of their
 * label set (prometheus/common model.LabelSet.Fingerprint): 64-bit FNV-1a over the label names in
 * sorted order, each name and value followed by the separator byte 0xff, printed as 16 hex digits.
 * Deriving the same value keeps event ids equal whichever Alertmanager version sent the alert.
 */
const OFFSET = 14695981039346656037n;
const PRIME = 1099511628211n;
const MASK = (1n << 64n) - 1n;
const SEPARATOR = 0xff;

export function labelsFingerprint(labels: Readonly<Record<string, string>>): string {
  let hash = OFFSET;
  const add = (byte: number) => {
    hash = ((hash ^ BigInt(byte)) * PRIME) & MASK;
  };
  // Go sorts label names as byte strings; JavaScript's default sort compares UTF-16 units, which
  // orders the same for every name Prometheus allows ([a-zA-Z_][a-zA-Z0-9_]*).
  for (const name of Object.keys(labels).sort()) {
    for (const byte of Buffer.from(name, 'utf8')) add(byte);
    add(SEPARATOR);
    for (const byte of Buffer.from(labels[name]!, 'utf8')) add(byte);
    add(SEPARATOR);
  }
  return hash.toString(16).padStart(16, '0');
}
