import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { messageOf, NOTICE_TYPES, SEVERITIES } from '@app/domain';
import type { Target } from './subscription.js';

/** Standard Webhooks secrets: `whsec_` and the base64 of 24 to 64 random bytes. */
const secretSchema = z
  .string()
  .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, 'expected whsec_ followed by base64 (Standard Webhooks)')
  .refine((secret) => {
    const bytes = Buffer.from(secret.slice('whsec_'.length), 'base64').length;
    return bytes >= 24 && bytes <= 64;
  }, 'expected 24 to 64 random bytes after whsec_ (e.g. echo whsec_$(openssl rand -base64 32))');

const subscriptionSchema = z.strictObject({
  /** Names it in the delivery log and metrics; the URL without its query when absent. */
  name: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, 'expected 1 to 64 letters, digits, ".", "_", ":" or "-"').optional(),
  url: z.url({ protocol: /^https?$/, error: 'expected an http or https URL' }),
  secret: secretSchema,
  events: z.array(z.enum(NOTICE_TYPES)).min(1, 'expected at least one event type'),
  services: z.array(z.string().min(1)).min(1).optional(),
  severities: z.array(z.enum(SEVERITIES)).min(1).optional(),
});

const listSchema = z.array(subscriptionSchema);
const documentSchema = z.strictObject({ subscriptions: listSchema });

/** The default name: the URL without query or fragment, which may carry credentials. */
const nameOf = (url: string) => {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
};

/** `subscriptions[1].secret` or `[0].events[2]`, as a person reads the file. */
const pathText = (path: PropertyKey[]) => path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('').replace(/^\./, '');

/**
 * Reads OUTBOUND_WEBHOOKS_FILE (YAML, of which JSON is a part): a list of subscriptions, or
 * `{subscriptions: [...]}`. Throws one line naming the first failing field, and a name given twice.
 */
export function readSubscriptions(path: string): Target[] {
  let document: unknown;
  try {
    document = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read it as YAML or JSON: ${messageOf(error).split('\n')[0]}`);
  }
  // An empty file is no subscription; a list stands alone or under `subscriptions`.
  const parsed = document === null || document === undefined || Array.isArray(document) ? listSchema.safeParse(document ?? []) : documentSchema.safeParse(document);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${pathText(issue.path) || '(file)'}: ${issue.message}`);
  }
  const list = Array.isArray(parsed.data) ? parsed.data : parsed.data.subscriptions;
  const targets: Target[] = list.map((entry) => ({
    name: entry.name ?? nameOf(entry.url),
    channel: 'webhook',
    url: entry.url,
    secret: entry.secret,
    events: entry.events,
    ...(entry.services ? { services: entry.services } : {}),
    ...(entry.severities ? { severities: entry.severities } : {}),
  }));
  const seen = new Set<string>();
  targets.forEach((target, index) => {
    if (seen.has(target.name)) throw new Error(`[${index}].name: "${target.name}" names two subscriptions; give each its own name`);
    seen.add(target.name);
  });
  return targets;
}
