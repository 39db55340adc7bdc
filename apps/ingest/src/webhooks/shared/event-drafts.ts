import { parseEvent, type IncidentEvent, type ValidationIssue } from '@app/domain';

/**
 * What a part of a webhook body that could not be mapped becomes: kept aside (a dead letter), never
 * refused, because the tools do not resend a 4xx. `at` is where in the body it sits (`alerts.1`, or ''
 * for the whole body), `errors` name the failing fields as the tool spells them.
 */
export interface KeptAside {
  at: string;
  reason: string;
  errors: ValidationIssue[];
  /** Why, as one of a few words (the `reason` label of aftermath_kept_aside_total); absent: `invalid`. */
  kind?: KeptAsideKind;
}

/**
 * Why a part was kept aside: `invalid`, what the tool sent does not map to a valid event (its shape, a field);
 * `clock_skew`, it is dated beyond MAX_CLOCK_SKEW_MINUTES after its receipt.
 */
export const KEPT_ASIDE_KINDS = ['invalid', 'clock_skew'] as const;
export type KeptAsideKind = (typeof KEPT_ASIDE_KINDS)[number];

/** What every mapper returns: the events of the parts that map, and the parts kept aside. */
export interface MappedEvents {
  events: IncidentEvent[];
  keptAside: KeptAside[];
}

/** An envelope built from a tool's payload, not yet validated. */
export interface EventDraft {
  envelope: Record<string, unknown>;
  /** Payload path of each envelope field, so a failure names the field the tool sent, not ours. */
  origin: Record<string, string>;
  /** Where in the payload the event came from: the prefix for envelope fields without an origin. */
  at: string;
}

export const joinPath = (prefix: string, path: string) => (prefix && path ? `${prefix}.${path}` : prefix || path);

/** Drops undefined fields: the envelope is strict about shape, and `data` fields are optional, not nullable. */
export function compact<T extends Record<string, unknown>>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}

/** A part of the body kept aside, its reason spelled from its field issues. */
export function keptAside(at: string, errors: ValidationIssue[], kind?: KeptAsideKind): KeptAside {
  const part: KeptAside = { at, reason: errors.map((issue) => `${issue.path || '(body)'}: ${issue.message}`).join('; '), errors };
  return kind ? { ...part, kind } : part;
}

/** The whole body kept aside (it does not have the tool's shape at all). */
export const nothingMapped = (errors: ValidationIssue[]): MappedEvents => ({ events: [], keptAside: [keptAside('', errors)] });

/**
 * Every mapped event goes through the same `parseEvent` as `POST /v1/events`, so a webhook can never
 * publish what the API would refuse. Per draft: one unusable alert keeps only itself aside, never the
 * good alerts and resolutions beside it.
 */
export function validateDrafts(drafts: readonly EventDraft[], aside: KeptAside[] = []): MappedEvents {
  const events: IncidentEvent[] = [];
  const keptAsideParts = [...aside];
  for (const draft of drafts) {
    const parsed = parseEvent(draft.envelope);
    if (parsed.ok) events.push(parsed.event);
    else {
      const errors = parsed.issues.map((issue) => ({ path: payloadPath(draft, issue.path), message: `${issue.message} (event field ${issue.path || '(root)'})` }));
      keptAsideParts.push(keptAside(draft.at, errors));
    }
  }
  return { events, keptAside: keptAsideParts };
}

/** The origin of the envelope path or of its nearest mapped ancestor (`data.labels.team` -> labels + `.team`). */
function payloadPath(draft: EventDraft, envelopePath: string): string {
  const segments = envelopePath.split('.');
  for (let length = segments.length; length > 0; length--) {
    const origin = draft.origin[segments.slice(0, length).join('.')];
    if (origin !== undefined) return joinPath(origin, segments.slice(length).join('.'));
  }
  return joinPath(draft.at, envelopePath);
}

/** Our own APIs (CloudEvents), whose callers can fix their requests: all events, or the reasons for a 400. */
export type AllOrNothing = { events: IncidentEvent[] } | { errors: ValidationIssue[] };

export function validateAllOrNothing(drafts: readonly EventDraft[]): AllOrNothing {
  const { events, keptAside: failed } = validateDrafts(drafts);
  return failed.length > 0 ? { errors: failed.flatMap((part) => part.errors) } : { events };
}
