import { normaliseServiceName, resolveService } from './service-name.js';

describe('service names', () => {
  it.each([
    ['Checkout API', 'checkout-api'],
    ['  payments_svc ', 'payments_svc'],
    ['--Order.Service!!', 'order.service'],
    ['node-exporter:9100', 'node-exporter-9100'],
    ['***', undefined],
  ])('normalises %p to %p', (raw, expected) => {
    expect(normaliseServiceName(raw)).toBe(expected);
  });

  it('keeps at most 128 characters, the envelope limit', () => {
    expect(normaliseServiceName('a'.repeat(200))).toHaveLength(128);
  });

  it('looks aliases up by the name as sent, then normalised, before normalising', () => {
    const options = { serviceLabels: [], serviceAliases: { 'Order Service': 'orders', 'checkout-api': 'Checkout' } };
    expect(resolveService('Order Service', options)).toBe('orders');
    expect(resolveService('Checkout API', options)).toBe('checkout');
    expect(resolveService('Billing', options)).toBe('billing');
    expect(resolveService('  ', options)).toBeUndefined();
  });
});
