import { SUBCOMMANDS } from './command-grammar.js';
import { parseCommand, unescapeSlackText } from './parse-command.js';

const now = new Date('2025-04-06T10:30:00Z');
const intent = (text: string) => {
  const parsed = parseCommand(text, now);
  if ('problem' in parsed) throw new Error(`expected "${text}" to parse, got: ${parsed.problem}`);
  return parsed.intent;
};
const problem = (text: string) => {
  const parsed = parseCommand(text, now);
  if (!('problem' in parsed)) throw new Error(`expected "${text}" to be refused`);
  return parsed;
};

describe('the slash command grammar (INTERFACES.md)', () => {
  it('has every subcommand of INTERFACES.md, each example parsing', () => {
    expect(SUBCOMMANDS.map((s) => s.name)).toEqual(['link', 'declare', 'status', 'severity', 'note', 'started', 'root-cause', 'impact', 'customers', 'step', 'lesson', 'action', 'retract', 'merge', 'help']);
    for (const subcommand of SUBCOMMANDS) expect(typeof subcommand.parse(subcommand.example.slice(subcommand.name.length).trim(), now)).toBe('object');
  });

  it('reads the example incident as a person would type it', () => {
    expect(intent('root-cause application: cache invalidation bug; Recent code changes introduced a regression; Test coverage did not include edge cases')).toEqual({
      kind: 'record',
      type: 'root_cause.identified',
      data: { category: 'application', summary: 'cache invalidation bug', contributingFactors: ['Recent code changes introduced a regression', 'Test coverage did not include edge cases'] },
    });
    expect(intent('impact error_rate 48% baseline &lt;1')).toMatchObject({ type: 'impact.measured', data: { metric: 'error_rate', unit: '%', peak: 48, baseline: '<1' } });
    expect(intent('impact latency_p99 2549ms baseline 475ms')).toMatchObject({ data: { metric: 'latency_p99', unit: 'ms', peak: 2549, baseline: 475 } });
    expect(intent('impact requests_affected 81 %')).toMatchObject({ data: { metric: 'requests_affected', unit: '%', peak: 81 } });
    expect(intent('customers users=3808 errors=2481 tickets=49 revenue=$17,556')).toMatchObject({
      type: 'customer_impact.reported',
      data: { usersAffected: 3808, customerErrors: 2481, supportTickets: 49, revenueUsd: 17556 },
    });
    expect(intent('step Deployed hotfix to address the immediate issue')).toMatchObject({ type: 'resolution.step', data: { description: 'Deployed hotfix to address the immediate issue' } });
    expect(intent('lesson to-improve Need better runbooks')).toMatchObject({ type: 'lesson.recorded', data: { kind: 'to_improve', text: 'Need better runbooks' } });
    expect(intent('action P2 Platform Engineering 2025-04-26 Add load test scenario')).toMatchObject({
      type: 'action_item.added',
      data: { priority: 'P2', owner: 'Platform Engineering', dueDate: '2025-04-26', action: 'Add load test scenario' },
    });
    expect(intent('action p1 "Infrastructure" 2025-04-12 Implement monitoring')).toMatchObject({ data: { priority: 'P1', owner: 'Infrastructure' } });
  });

  it('reads incident-level commands', () => {
    expect(intent('link pagerduty:Q0RIJJZL24RC6W')).toEqual({ kind: 'link', ref: 'pagerduty:Q0RIJJZL24RC6W' });
    expect(intent('declare Checkout returns 500s P2 service=checkout')).toEqual({ kind: 'declare', data: { title: 'Checkout returns 500s', severity: 'P2' }, service: 'checkout' });
    expect(intent('declare P2')).toEqual({ kind: 'declare', data: { title: 'P2' } });
    expect(intent('status Mitigated rolled back')).toMatchObject({ type: 'status.changed', data: { status: 'mitigated', note: 'rolled back' } });
    expect(intent('severity p1')).toMatchObject({ type: 'severity.changed', data: { severity: 'P1' } });
    expect(intent('note a & b')).toMatchObject({ type: 'note.added', data: { text: 'a & b' } });
    expect(intent('retract slack-abc typed on the wrong incident')).toMatchObject({ type: 'event.retracted', data: { eventId: 'slack-abc', reason: 'typed on the wrong incident' }, anyChannel: true });
    expect(intent('merge INC-2025-0405-ORD')).toMatchObject({ type: 'incident.merged', data: { into: 'INC-2025-0405-ORD' } });
    expect(intent('')).toEqual({ kind: 'help' });
    expect(intent('help')).toEqual({ kind: 'help' });
  });

  it('dates a bare clock time to its latest occurrence not after the command', () => {
    expect(intent('started 09:50 UTC first reports')).toMatchObject({ type: 'impact.started', data: { note: 'first reports' }, occurredAt: new Date('2025-04-06T09:50:00Z') });
    expect(intent('started 23:10')).toMatchObject({ occurredAt: new Date('2025-04-05T23:10:00Z'), data: {} });
    expect(intent('started 2025-04-05T15:20:00+02:00')).toMatchObject({ occurredAt: new Date('2025-04-05T13:20:00Z') });
    expect(problem('started 2025-04-07T00:00:00Z').problem).toMatch(/future/);
    expect(problem('started 25:00').problem).toMatch(/not a time of day/);
  });

  it.each([
    ['status fixed', 'status', /investigating, identified/],
    ['severity P9', 'severity', /P1, P2/],
    ['root-cause cache invalidation bug', 'root-cause', /category and a colon/],
    ['root-cause application:', 'root-cause', /summary/],
    ['impact ErrorRate 48%', 'impact', /snake_case/],
    ['impact error_rate high', 'impact', /peak with its unit/],
    ['impact error_rate 48% was <1', 'impact', /baseline/],
    ['customers users=many', 'customers', /non-negative number/],
    ['customers people=3', 'customers', /not one of/],
    ['lesson meh it went', 'lesson', /went-well or to-improve/],
    ['action P5 Infra 2025-04-12 x', 'action', /P1, P2, P3, P4/],
    ['action P1 Infrastructure next week Implement', 'action', /YYYY-MM-DD/],
    ['action P1 Infrastructure 2025-02-30 Implement', 'action', /not a calendar date/],
    ['action P1 Infrastructure 2025-04-12', 'action', /describe the action/],
    ['retract slack-abc', 'retract', /reason/],
    ['link', 'link', /incident id or key/],
    ['declare', 'declare', /title/],
    ['declare Outage service=Checkout!', 'declare', /not a service name/],
  ])('refuses %p with the grammar of %p', (text, name, reason) => {
    const refused = problem(text);
    expect(refused.subcommand?.name).toBe(name);
    expect(refused.problem).toMatch(reason);
  });

  it('names the subcommands when the first word is none of them', () => {
    expect(problem('rootcause x: y').problem).toMatch(/"rootcause" is not a subcommand; one of link, declare/);
  });

  it('undoes Slack\'s escaping of &, < and > once', () => {
    expect(unescapeSlackText('&lt;1 &amp;&amp; &gt;2 &amp;lt;')).toBe('<1 && >2 &lt;');
  });
});
