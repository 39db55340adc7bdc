import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaSecurity } from './kafka-client.js';

describe('kafkaSecurity', () => {
  it('is plaintext without settings', () => {
    expect(kafkaSecurity({})).toEqual({});
    expect(kafkaSecurity({ KAFKA_SSL: false })).toEqual({});
  });

  it('uses the system CAs with KAFKA_SSL alone', () => {
    expect(kafkaSecurity({ KAFKA_SSL: true })).toEqual({ ssl: true });
  });

  it('reads the CA, certificate and key files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aftermath-tls-'));
    const file = (name: string) => {
      writeFileSync(join(dir, name), `-----BEGIN ${name}-----\n`);
      return join(dir, name);
    };
    const security = kafkaSecurity({ KAFKA_SSL: true, KAFKA_SSL_CA_FILE: file('ca'), KAFKA_SSL_CERT_FILE: file('cert'), KAFKA_SSL_KEY_FILE: file('key') });
    expect(security.ssl).toEqual({ ca: ['-----BEGIN ca-----\n'], cert: '-----BEGIN cert-----\n', key: '-----BEGIN key-----\n' });
  });

  it('passes SASL credentials to kafkajs', () => {
    expect(kafkaSecurity({ KAFKA_SSL: true, KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' })).toEqual({
      ssl: true,
      sasl: { mechanism: 'scram-sha-256', username: 'u', password: 'p' },
    });
  });
});
