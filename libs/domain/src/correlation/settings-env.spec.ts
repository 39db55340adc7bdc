import { correlationSettingsFromEnv } from './settings-env.js';
import { DEFAULT_CORRELATION_SETTINGS } from './settings.js';

describe('correlationSettingsFromEnv', () => {
  it('gives the defaults for an environment that names none, or names them empty', () => {
    expect(correlationSettingsFromEnv({})).toEqual(DEFAULT_CORRELATION_SETTINGS);
    expect(correlationSettingsFromEnv({ CORRELATION_MARGIN_MINUTES: '', CORRELATION_IDLE_MINUTES: '', CORRELATION_GROUP_LABELS: '', CORRELATION_SERVICE_GROUPS: '' })).toEqual(DEFAULT_CORRELATION_SETTINGS);
  });

  it('reads every variable', () => {
    expect(
      correlationSettingsFromEnv({
        CORRELATION_MARGIN_MINUTES: '5',
        CORRELATION_IDLE_MINUTES: '60',
        CORRELATION_GROUP_LABELS: 'cluster, alertname',
        CORRELATION_SERVICE_GROUPS: 'orders-db=orders-db,checkout,cart; search=search-api',
      }),
    ).toEqual({
      marginMinutes: 5,
      idleMinutes: 60,
      groupLabels: ['cluster', 'alertname'],
      serviceGroups: new Map([
        ['orders-db', 'orders-db'],
        ['checkout', 'orders-db'],
        ['cart', 'orders-db'],
        ['search-api', 'search'],
      ]),
    });
  });

  it.each([
    [{ CORRELATION_MARGIN_MINUTES: 'soon' }, 'CORRELATION_MARGIN_MINUTES="soon"'],
    [{ CORRELATION_MARGIN_MINUTES: '10081' }, 'CORRELATION_MARGIN_MINUTES="10081"'],
    [{ CORRELATION_IDLE_MINUTES: '0' }, 'CORRELATION_IDLE_MINUTES="0"'],
    [{ CORRELATION_IDLE_MINUTES: '1.5' }, 'CORRELATION_IDLE_MINUTES="1.5"'],
    [{ CORRELATION_SERVICE_GROUPS: 'db=a;other=a' }, 'CORRELATION_SERVICE_GROUPS="db=a;other=a": service "a" is in two groups'],
    [{ CORRELATION_GROUP_LABELS: 'cluster;alertname' }, 'CORRELATION_GROUP_LABELS="cluster;alertname": "cluster;alertname" is not a label name'],
    [{ CORRELATION_GROUP_LABELS: 'cluster,1st' }, 'CORRELATION_GROUP_LABELS="cluster,1st": "1st" is not a label name'],
    [{ CORRELATION_SERVICE_GROUPS: 'checkout' }, 'CORRELATION_SERVICE_GROUPS="checkout": "checkout" is not group=service,service'],
  ])('names the variable that is wrong: %j', (env, message) => {
    expect(() => correlationSettingsFromEnv(env)).toThrow(message);
  });
});
