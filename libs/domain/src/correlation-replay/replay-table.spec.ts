import { reportOf, storm, stormGroups } from '../../test/storm.js';
import { parseEvent, parseServiceGroups } from '../index.js';
import { REPLAY_TABLE_ROWS, renderReplayTable } from './replay-table.js';

describe('renderReplayTable', () => {
  it('the storm replayed with service groups, as docs/correlation.md shows it', () => {
    expect(renderReplayTable(reportOf(storm(), {}, { serviceGroups: stormGroups() }))).toBe(`16 stored events correlated again, in memory, under
  CORRELATION_MARGIN_MINUTES=30 CORRELATION_IDLE_MINUTES=240 CORRELATION_GROUP_LABELS= CORRELATION_SERVICE_GROUPS=orders-db=postgres-orders,orders-api,checkout,cart,search
Nothing was changed.

                   stored  replayed
incidents          7       3
unattached events  0       0
2 incidents unchanged.

Merged: 5 stored incidents into 1
  inc-13bb5502fee72cee <- inc-13bb5502fee72cee, inc-e9f56b09aa9c6b63, inc-a203bc7ca71a78e0, inc-93cb2fe548504a35, inc-fd8a4af5ac5fce9a (12 events)

Split: none

Events moved: 8
  from                  to                    events
  inc-e9f56b09aa9c6b63  inc-13bb5502fee72cee  2
  inc-a203bc7ca71a78e0  inc-13bb5502fee72cee  2
  inc-93cb2fe548504a35  inc-13bb5502fee72cee  2
  inc-fd8a4af5ac5fce9a  inc-13bb5502fee72cee  2

Figures that change (minutes; stored -> replayed):
  incident              service          events     detect  acknowledge  mitigate  resolve
  inc-13bb5502fee72cee  postgres-orders  4 -> 12    -       6            -         25 -> 31
  inc-e9f56b09aa9c6b63  orders-api       2 -> gone  -       -            -         26 -> gone
  inc-a203bc7ca71a78e0  checkout         2 -> gone  -       -            -         26 -> gone
  inc-93cb2fe548504a35  cart             2 -> gone  -       -            -         26 -> gone
  inc-fd8a4af5ac5fce9a  search           2 -> gone  -       -            -         28 -> gone

Across incidents (minutes, nearest rank; stored -> replayed):
  figure               p50       p90  recorded
  time to detect       -         -    0
  time to acknowledge  6         6    1
  time to mitigate     -         -    0
  time to resolve      26 -> 31  43   7 -> 3
`);
  });

  it('the other way round the outage splits, and the parts are new', () => {
    const table = renderReplayTable(reportOf(storm(), { serviceGroups: stormGroups() }, {}));
    expect(table).toContain('\nMerged: none\n\nSplit: 1 stored incident into 5\n  inc-13bb5502fee72cee -> inc-13bb5502fee72cee, inc-e9f56b09aa9c6b63, ');
    expect(table).toContain('\n  inc-e9f56b09aa9c6b63  orders-api       new -> 2  -       -            -         new -> 26\n');
  });

  it(`lists at most ${REPLAY_TABLE_ROWS} rows a section and says how many more --json has`, () => {
    const services = Array.from({ length: REPLAY_TABLE_ROWS + 10 }, (_, i) => `svc-${String(i).padStart(2, '0')}`);
    const alerts = services.map((service, i) => {
      const parsed = parseEvent({ id: `a-${service}`, type: 'alert.triggered', occurredAt: `2025-04-05T10:00:${String(i % 60).padStart(2, '0')}Z`, source: 'test', service, data: { alertName: 'Down' } });
      if (!parsed.ok) throw new Error('invalid');
      return parsed.event;
    });
    const lines = renderReplayTable(reportOf(alerts, {}, { serviceGroups: parseServiceGroups(`all=${services.join(',')}`) })).split('\n');
    const moved = lines.indexOf(`Events moved: ${services.length - 1}`);
    expect(lines.slice(moved + 2 + REPLAY_TABLE_ROWS, moved + 4 + REPLAY_TABLE_ROWS)).toEqual(['  ... and 9 more (--json lists every one)', '']);
  });
});
