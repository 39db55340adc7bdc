import { DOMAIN_VERSION } from '@app/domain';
test('domain loads', () => { expect(DOMAIN_VERSION).toBe(1); });
