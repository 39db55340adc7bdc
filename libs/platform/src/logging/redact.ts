/**
 * What must never reach a log line: credentials and signatures. Keys are matched case-insensitively
 * anywhere in a logged object, so `apiToken`, `webhook_secret` or a custom signature header are caught
 * without being listed one by one.
 */
export const SECRET_KEY = /token|secret|passw(or)?d|authorization|signature|cookie|api[-_]?key|credential/i;

export const REDACTED = '[Redacted]';

/** Explicit pino `redact` paths: a second line of defence for the request headers pino-http serialises. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-pagerduty-signature"]',
  'req.headers["x-grafana-alerting-signature"]',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers["x-pagerduty-signature"]',
  'headers["x-grafana-alerting-signature"]',
];

const MAX_DEPTH = 8;

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/** Flags and counts (`tokenValid: true`, `tokens: 3`) say nothing secret; strings, lists and objects may. */
const mayHoldSecret = (value: unknown) => value !== undefined && value !== null && value !== '' && typeof value !== 'boolean' && typeof value !== 'number';

/**
 * A copy of `value` with every secret-named field replaced by `[Redacted]`. Only plain objects and
 * arrays are walked (errors, requests and other class instances are left to pino's serializers),
 * and objects without secrets are returned as they are.
 */
export function redactSecrets<T>(value: T, depth = 0): T {
  if (depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    let changed = false;
    const copy = value.map((item) => {
      const redacted = redactSecrets(item, depth + 1);
      changed ||= redacted !== item;
      return redacted;
    });
    return (changed ? copy : value) as T;
  }
  if (!isPlainObject(value)) return value;
  let copy: Record<string, unknown> | null = null;
  for (const [key, item] of Object.entries(value)) {
    const redacted = SECRET_KEY.test(key) && mayHoldSecret(item) ? REDACTED : redactSecrets(item, depth + 1);
    if (redacted !== item) {
      copy ??= { ...value };
      copy[key] = redacted;
    }
  }
  return (copy ?? value) as T;
}
