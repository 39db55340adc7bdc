import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarize, initialIncidentState } from '@app/domain';
import { loadNotifierConfig } from '../config.js';
import { wants } from './subscription.js';

const folder = mkdtempSync(join(tmpdir(), 'subscriptions-'));
let files = 0;
const file = (text: string, extension = 'yaml') => {
  const path = join(folder, `${(files += 1)}.${extension}`);
  writeFileSync(path, text);
  return path;
};
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const load = (path: string) => loadNotifierConfig({ OUTBOUND_WEBHOOKS_FILE: path }).OUTBOUND_WEBHOOKS_FILE;

describe('OUTBOUND_WEBHOOKS_FILE', () => {
  it('reads YAML and JSON, a list alone or under subscriptions, naming each by its URL without the query unless named', () => {
    const yaml = load(file(`subscriptions:\n  - url: https://hooks.example/a?token=x\n    secret: ${SECRET}\n    events: [incident.opened]\n    severities: [P1, P2]\n`));
    expect(yaml).toEqual([{ name: 'https://hooks.example/a', channel: 'webhook', url: 'https://hooks.example/a?token=x', secret: SECRET, events: ['incident.opened'], severities: ['P1', 'P2'] }]);
    const json = load(file(JSON.stringify([{ name: 'ops', url: 'http://127.0.0.1:9000/h', secret: SECRET, events: ['rca.drafted'], services: ['payments'] }]), 'json'));
    expect(json).toMatchObject([{ name: 'ops', services: ['payments'], events: ['rca.drafted'] }]);
    expect(load(file(''))).toEqual([]);
  });

  it.each([
    [`- url: https://h.example/x\n  secret: nope\n  events: [incident.opened]`, '[0].secret: expected whsec_ followed by base64'],
    [`- url: https://h.example/x\n  secret: whsec_c2hvcnQ=\n  events: [incident.opened]`, '[0].secret: expected 24 to 64 random bytes'],
    [`- url: ftp://h.example/x\n  secret: ${SECRET}\n  events: [incident.opened]`, '[0].url: expected an http or https URL'],
    [`- url: https://h.example/x\n  secret: ${SECRET}\n  events: [incident.closed]`, '[0].events[0]: Invalid option'],
    [`- url: https://h.example/x\n  secret: ${SECRET}\n  events: []`, '[0].events: expected at least one event type'],
    [`- url: https://h.example/x\n  secret: ${SECRET}\n  events: [rca.drafted]\n  severities: [P9]`, '[0].severities[0]: Invalid option'],
    [`- url: https://h.example/x\n  secret: ${SECRET}\n  events: [rca.drafted]\n  sevrities: [P1]`, '[0]: Unrecognized key: "sevrities"'],
    [`subscriptions:\n  - url: https://h.example/x\n    secret: ${SECRET}\n    events: [rca.drafted]\n  - url: https://h.example/x\n    secret: ${SECRET}\n    events: [rca.drafted]`, '[1].name: "https://h.example/x" names two subscriptions'],
    [`- url: [unclosed`, 'cannot read it as YAML or JSON'],
  ])('stops start-up naming the field: %s', (text, message) => {
    const path = file(text);
    expect(() => load(path)).toThrow(`OUTBOUND_WEBHOOKS_FILE="${path}": ${message}`);
  });

  it('an unreadable file stops start-up too', () => {
    expect(() => load(join(folder, 'missing.yaml'))).toThrow(/OUTBOUND_WEBHOOKS_FILE=".*missing.yaml": cannot read it/);
  });

  it('filters by event type, service and severity', () => {
    const summary = { ...summarize(initialIncidentState('inc-1')), services: ['payments', 'ledger'], severity: 'P2' as const };
    const target = { name: 'x', channel: 'webhook' as const, url: 'https://h.example', events: ['incident.opened' as const], services: ['ledger'], severities: ['P1' as const, 'P2' as const] };
    expect(wants(target, 'incident.opened', summary)).toBe(true);
    expect(wants(target, 'incident.updated', summary)).toBe(false);
    expect(wants(target, 'incident.opened', { ...summary, services: ['search'] })).toBe(false);
    expect(wants(target, 'incident.opened', { ...summary, severity: null })).toBe(false);
    expect(wants({ name: 'all', channel: 'teams', url: 'https://t.example' }, 'rca.drafted', summary)).toBe(true);
  });

  it('hides Teams webhook URLs in a configuration error: they carry their signature', () => {
    expect(() => loadNotifierConfig({ TEAMS_WEBHOOK_URLS: 'notaurl?sig=secret' })).toThrow(/TEAMS_WEBHOOK_URLS=\(\d+ characters, hidden\)/);
  });
});
