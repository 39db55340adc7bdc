import { reservedForTools } from './reserved-for-tools.js';

const issuesOf = (fields: { id?: string; incidentKey?: string; correlationKeys?: string[] }) => reservedForTools({ id: 'native-1', ...fields });

describe('native events cannot take the ids and keys ingest derives for the tools', () => {
  it.each([
    ['Alertmanager', 'am-c6eadffa33fcdf37-1743866880123-firing'],
    ['Grafana', 'grafana-c6eadffa33fcdf37-1634025063157-resolved'],
    ['Alertmanager, before 1970', 'am-c6eadffa33fcdf37--1000-firing'],
    ['PagerDuty', 'pagerduty-01DEN4F1NYD0FMTR7WHZ0DQGIJ'],
    ['Opsgenie', 'opsgenie-70413a06-38d6-4c85-92b8-5ebc900d42e7-Create-1700000000000'],
    ['Jira Service Management', 'jsm-70413a06-38d6-4c85-92b8-5ebc900d42e7-Create-1700000000000'],
    ['CloudEvents', 'ce-0123456789abcdef0123456789abcdef'],
    ['Slack', 'slack-0123456789abcdef0123456789abcdef-link'],
    ['Slack, a message shortcut', 'slack-message-0123456789abcdef0123456789abcdef'],
  ])('refuses the id shape of %s', (tool, id) => {
    expect(issuesOf({ id })).toEqual([{ path: 'id', message: expect.stringContaining(tool.replace(/,.*/, '')) }]);
  });

  it.each(['am-7f3c1a9e-firing', 'pd-Q0RIJJZL24RC6W-triggered', 'api-declare-1', 'ce-short', 'amazon-1-2-firing'])('accepts the id %s', (id) => {
    expect(issuesOf({ id })).toEqual([]);
  });

  it('refuses the dedup: and labels: key namespaces wherever a key goes', () => {
    expect(issuesOf({ incidentKey: 'dedup:abc', correlationKeys: ['INC-1', 'LABELS:cluster=eu'] })).toEqual([
      { path: 'incidentKey', message: expect.stringContaining('"dedup:"') },
      { path: 'correlationKeys.1', message: expect.stringContaining('"labels:"') },
    ]);
  });

  it('accepts external references a person may give, such as pagerduty:<incident>', () => {
    expect(issuesOf({ incidentKey: 'pagerduty:Q0RIJJZL24RC6W', correlationKeys: ['opsgenie:42', 'JIRA-7'] })).toEqual([]);
  });

  it('skips the id when ingest derived it itself (CloudEvents)', () => {
    expect(reservedForTools({ id: 'ce-0123456789abcdef0123456789abcdef' }, { checkId: false })).toEqual([]);
  });
});
