import {
  ACTION_ITEM_PRIORITIES,
  calendarDateSchema,
  INCIDENT_STATUSES,
  METRIC_NAME_PATTERN,
  SEVERITIES,
  type EventType,
} from '@app/domain';
import { parseImpactStart } from './impact-start.js';

/**
 * What a command asks for. `record` events go to the channel's linked incident unless `anyChannel`
 * (a retraction belongs to the incident holding the retracted event, wherever it is typed).
 */
export type CommandIntent =
  | { kind: 'help' }
  | { kind: 'link'; ref: string }
  | { kind: 'declare'; data: { title: string; severity?: string }; service?: string }
  | { kind: 'record'; type: EventType; data: Record<string, unknown>; occurredAt?: Date; anyChannel?: boolean };

/** A subcommand's grammar: how it is written, an example, and its parser (an error message when it does not fit). */
export interface Subcommand {
  name: string;
  usage: string;
  example: string;
  parse(args: string, requestTime: Date): CommandIntent | string;
}

const SEVERITY = new RegExp(`^(${SEVERITIES.join('|')})$`, 'i');
const PRIORITY = new RegExp(`^(${ACTION_ITEM_PRIORITIES.join('|')})$`, 'i');
const LESSON_KINDS: Record<string, 'went_well' | 'to_improve'> = {
  'went-well': 'went_well',
  went_well: 'went_well',
  'to-improve': 'to_improve',
  to_improve: 'to_improve',
};
const CUSTOMER_FIELDS: Record<string, string> = { users: 'usersAffected', errors: 'customerErrors', tickets: 'supportTickets', revenue: 'revenueUsd' };
/** Service names as the envelope wants them (EVENTS.md). */
const SERVICE = /^[a-z0-9][a-z0-9._-]{0,127}$/;
const NUMBER = /^-?\d+(?:\.\d+)?/;

const words = (text: string) => text.split(/\s+/).filter(Boolean);
/** Surrounding straight or typographic quotes, which Slack clients may substitute while typing. */
const unquote = (text: string) => text.replace(/^["“”'‘’](.*)["“”'‘’]$/s, '$1').trim();
const record = (type: EventType, data: Record<string, unknown>, extra: Partial<Extract<CommandIntent, { kind: 'record' }>> = {}): CommandIntent => ({
  kind: 'record',
  type,
  data,
  ...extra,
});

/** An incident id or key (EVENTS.md: 1-256 characters); printable, since it becomes a Kafka message field and a URL. */
function incidentRef(args: string): string | null {
  const ref = unquote(args.trim());
  // eslint-disable-next-line no-control-regex
  return ref.length >= 1 && ref.length <= 256 && !/[\u0000-\u001f\u007f\s]/.test(ref) ? ref : null;
}

/** "48%" or "48 %" or "2549ms": the number and its unit. */
function measurement(tokens: string[]): { peak: number; unit: string; rest: string[] } | null {
  const [first, second, ...others] = tokens;
  const match = first?.match(NUMBER);
  if (!first || !match) return null;
  const unit = first.slice(match[0].length);
  if (unit !== '') return { peak: Number(match[0]), unit, rest: tokens.slice(1) };
  if (!second || second.toLowerCase() === 'baseline') return null;
  return { peak: Number(match[0]), unit: second, rest: others };
}

/** A baseline is a number when it reads as one (with or without the peak's unit), else kept as written ("<1"). */
function baselineValue(text: string, unit: string): number | string {
  const withoutUnit = text.endsWith(unit) ? text.slice(0, -unit.length) : text;
  return /^-?\d+(?:\.\d+)?$/.test(withoutUnit) ? Number(withoutUnit) : text;
}

/** "17556", "17,556" or "$17556": a non-negative number. */
function amount(text: string): number | null {
  const plain = text.replace(/^\$/, '').replace(/,/g, '');
  return /^\d+(?:\.\d+)?$/.test(plain) ? Number(plain) : null;
}

export const SUBCOMMANDS: readonly Subcommand[] = [
  {
    name: 'link',
    usage: 'link <incident id or key>',
    example: 'link INC-2025-0405-ORD',
    parse: (args) => {
      const ref = incidentRef(args);
      return ref ? { kind: 'link', ref } : 'name one incident id or key (1-256 characters, no spaces)';
    },
  },
  {
    name: 'declare',
    usage: 'declare <title> [P1-P5] [service=<name>]',
    example: 'declare Checkout returns 500s P2 service=checkout',
    parse: (args) => {
      const tokens = words(args);
      let severity: string | undefined;
      let service: string | undefined;
      // The optional parts come last, in either order; everything before them is the title.
      for (let last = tokens.at(-1); last !== undefined && tokens.length > 1; last = tokens.at(-1)) {
        if (!severity && SEVERITY.test(last)) severity = last.toUpperCase();
        else if (!service && /^service=/i.test(last)) service = last.slice('service='.length).toLowerCase();
        else break;
        tokens.pop();
      }
      if (service !== undefined && !SERVICE.test(service)) return `service=${service} is not a service name (lowercase letters, digits, ".", "_", "-")`;
      const title = tokens.join(' ');
      if (!title) return 'give the incident a title';
      return { kind: 'declare', data: { title, ...(severity ? { severity } : {}) }, ...(service ? { service } : {}) };
    },
  },
  {
    name: 'status',
    usage: `status <${INCIDENT_STATUSES.join('|')}> [note]`,
    example: 'status identified Bad cache invalidation in the order read path',
    parse: (args) => {
      const [status = '', ...note] = words(args);
      if (!(INCIDENT_STATUSES as readonly string[]).includes(status.toLowerCase())) return `the status must be one of ${INCIDENT_STATUSES.join(', ')}`;
      return record('status.changed', { status: status.toLowerCase(), ...(note.length > 0 ? { note: note.join(' ') } : {}) });
    },
  },
  {
    name: 'severity',
    usage: 'severity <P1-P5>',
    example: 'severity P2',
    parse: (args) => (SEVERITY.test(args.trim()) ? record('severity.changed', { severity: args.trim().toUpperCase() }) : 'the severity must be one of P1, P2, P3, P4, P5'),
  },
  {
    name: 'note',
    usage: 'note <text>',
    example: 'note Rolled back the 14:50 deploy of order-service',
    parse: (args) => (args.trim() ? record('note.added', { text: args.trim() }) : 'the note needs a text'),
  },
  {
    name: 'started',
    usage: 'started <HH:MM UTC or RFC 3339> [note]',
    example: 'started 15:20 UTC first customer reports of failed orders',
    parse: (args, requestTime) => {
      const start = parseImpactStart(args, requestTime);
      if (typeof start === 'string') return start;
      return record('impact.started', start.note ? { note: start.note } : {}, { occurredAt: start.at });
    },
  },
  {
    name: 'root-cause',
    usage: 'root-cause <category>: <summary>[; contributing factor; ...]',
    example: 'root-cause application: cache invalidation bug; Recent code changes introduced a regression; Monitoring gaps delayed detection',
    parse: (args) => {
      const colon = args.indexOf(':');
      const category = colon > 0 ? args.slice(0, colon).trim() : '';
      if (!category) return 'start with the category and a colon (application: ...)';
      const [summary = '', ...factors] = args
        .slice(colon + 1)
        .split(';')
        .map((part) => part.trim());
      if (!summary) return 'give a summary after the colon';
      const contributingFactors = factors.filter(Boolean);
      return record('root_cause.identified', { summary, category, ...(contributingFactors.length > 0 ? { contributingFactors } : {}) });
    },
  },
  {
    name: 'impact',
    usage: 'impact <metric> <peak><unit> [baseline <value>]',
    example: 'impact error_rate 48% baseline <1',
    parse: (args) => {
      const [metric = '', ...rest] = words(args);
      if (!METRIC_NAME_PATTERN.test(metric)) return 'the metric must be a snake_case name such as error_rate, latency_p99 or requests_affected';
      const measured = measurement(rest);
      if (!measured) return 'give the peak with its unit, such as 48% or 2549ms';
      const data: Record<string, unknown> = { metric, unit: measured.unit, peak: measured.peak };
      if (measured.rest.length > 0) {
        const [keyword = '', value, ...extra] = measured.rest;
        if (keyword.toLowerCase() !== 'baseline' || value === undefined || extra.length > 0) return 'after the peak, only "baseline <value>" may follow';
        data.baseline = baselineValue(value, measured.unit);
      }
      return record('impact.measured', data);
    },
  },
  {
    name: 'customers',
    usage: 'customers [users=N] [errors=N] [tickets=N] [revenue=N]',
    example: 'customers users=3808 errors=2481 tickets=49 revenue=17556',
    parse: (args) => {
      const data: Record<string, number> = {};
      for (const token of words(args)) {
        const [name = '', value = ''] = token.split('=', 2);
        const field = CUSTOMER_FIELDS[name.toLowerCase()];
        if (!field) return `"${token}" is not one of users=N, errors=N, tickets=N, revenue=N`;
        const number = amount(value);
        if (number === null) return `${name}= needs a non-negative number`;
        data[field] = number;
      }
      return Object.keys(data).length > 0 ? record('customer_impact.reported', data) : 'give at least one of users=N, errors=N, tickets=N, revenue=N';
    },
  },
  {
    name: 'step',
    usage: 'step <description>',
    example: 'step Deployed hotfix to address the immediate issue',
    parse: (args) => (args.trim() ? record('resolution.step', { description: args.trim() }) : 'describe the step'),
  },
  {
    name: 'lesson',
    usage: 'lesson <went-well|to-improve> <text>',
    example: 'lesson went-well Alert fired within 2 minutes of incident start',
    parse: (args) => {
      const [kind = '', ...text] = words(args);
      const lessonKind = LESSON_KINDS[kind.toLowerCase()];
      if (!lessonKind) return 'start with went-well or to-improve';
      return text.length > 0 ? record('lesson.recorded', { kind: lessonKind, text: text.join(' ') }) : 'write the lesson after its kind';
    },
  },
  {
    name: 'action',
    usage: 'action <P1-P4> <owner> <YYYY-MM-DD> <action>',
    example: 'action P2 Platform Engineering 2025-04-26 Add load test scenario',
    parse: (args) => {
      const [priority = '', ...rest] = words(args);
      if (!PRIORITY.test(priority)) return 'start with the priority, one of P1, P2, P3, P4';
      // The owner may be several words ("Platform Engineering"): everything up to the due date.
      const dateAt = rest.findIndex((token) => /^\d{4}-\d{2}-\d{2}$/.test(token));
      if (dateAt < 0) return 'give the due date as YYYY-MM-DD after the owner';
      const owner = unquote(rest.slice(0, dateAt).join(' '));
      const dueDate = rest[dateAt]!;
      const action = rest.slice(dateAt + 1).join(' ');
      if (!owner) return 'name the owner before the due date';
      if (!calendarDateSchema.safeParse(dueDate).success) return `${dueDate} is not a calendar date`;
      if (!action) return 'describe the action after the due date';
      return record('action_item.added', { priority: priority.toUpperCase(), action, owner, dueDate });
    },
  },
  {
    name: 'retract',
    usage: 'retract <event id> <reason>',
    example: 'retract slack-3f2a9c81d0e4b5a6 entered on the wrong incident',
    parse: (args) => {
      const [eventId = '', ...reason] = words(args);
      if (!eventId || eventId.length > 256) return 'name the event id to retract (as shown on the incident page)';
      return reason.length > 0 ? record('event.retracted', { eventId, reason: reason.join(' ') }, { anyChannel: true }) : 'give the reason after the event id';
    },
  },
  {
    name: 'merge',
    usage: 'merge <incident id or key>',
    example: 'merge INC-2025-0405-ORD',
    parse: (args) => {
      const into = incidentRef(args);
      return into ? record('incident.merged', { into }) : 'name the one incident id or key to merge this channel\'s incident into';
    },
  },
  {
    name: 'help',
    usage: 'help',
    example: 'help',
    parse: (args) => (args.trim() ? 'help takes nothing after it' : { kind: 'help' }),
  },
];

export const subcommandNamed = (name: string): Subcommand | undefined => SUBCOMMANDS.find((subcommand) => subcommand.name === name.toLowerCase());
