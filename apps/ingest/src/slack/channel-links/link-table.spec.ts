import type { ChannelLink } from './channel-link.js';
import { LinkTable, parseLinkRecord } from './link-table.js';

const link = (incidentRef: string): ChannelLink => ({ teamId: 'T1', channelId: 'C1', channelName: 'inc', incidentRef, service: 'unknown', linkedBy: 'slack:ann', linkedAt: '2025-04-05T15:00:00.000Z' });

describe('channel links', () => {
  it('keeps the latest link by log position, whichever arrives last', () => {
    const table = new LinkTable();
    table.apply('T1/C1', link('INC-2'), 12n); // this instance's own write, acknowledged at offset 12
    table.apply('T1/C1', link('INC-1'), 11n); // another instance's older write, consumed afterwards
    expect(table.get('T1', 'C1')?.incidentRef).toBe('INC-2');
    table.apply('T1/C1', null, 13n);
    expect(table.get('T1', 'C1')).toBeUndefined();
    expect(table.size).toBe(0);
  });

  it('reads back what it stores, and nothing else', () => {
    expect(parseLinkRecord(Buffer.from(JSON.stringify({ ...link('INC-1'), extra: 1 })))).toEqual(link('INC-1'));
    expect(parseLinkRecord(Buffer.from('{"teamId":"T1"}'))).toBeNull();
    expect(parseLinkRecord(Buffer.from('not json'))).toBeNull();
  });
});
