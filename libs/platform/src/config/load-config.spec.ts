import { z } from 'zod';
import { commonEnv, loadConfig, port } from './load-config.js';

const invalidConfiguration = expect.objectContaining({ type: 'invalid-configuration' });

const schema = z.object({ ...commonEnv, INGEST_PORT: port(3001) });

describe('loadConfig', () => {
  it('gives every variable a working default', () => {
    const config = loadConfig(schema, {});
    expect(config).toEqual({
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      KAFKA_TOPIC_PREFIX: '',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/aftermath',
      LOG_LEVEL: 'info',
      KAFKA_SSL: false,
      INGEST_PORT: 3001,
    });
  });

  it('splits broker lists and trims them', () => {
    expect(loadConfig(schema, { KAFKA_BROKERS: 'a:9092, b:9093' }).KAFKA_BROKERS).toEqual(['a:9092', 'b:9093']);
  });

  it.each([
    ['INGEST_PORT', 'abc'],
    ['INGEST_PORT', '70000'],
    ['INGEST_PORT', '-1'],
    ['KAFKA_BROKERS', 'no-port'],
    ['DATABASE_URL', 'mysql://x/y'],
    ['LOG_LEVEL', 'loud'],
    ['KAFKA_SSL', 'maybe'],
    ['KAFKA_SSL_CA_FILE', '/no/such/ca.pem'],
    ['KAFKA_SASL_MECHANISM', 'gssapi'],
  ])('names the variable %s when it is %s', (variable, value) => {
    const attempt = () => loadConfig(schema, { [variable]: value });
    expect(attempt).toThrow(invalidConfiguration);
    expect(attempt).toThrow(new RegExp(`^Invalid configuration: ${variable}="${value}": `));
  });

  describe('Kafka TLS and SASL', () => {
    it('reads them', () => {
      const config = loadConfig(schema, {
        KAFKA_SSL: 'TRUE',
        KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
        KAFKA_SASL_USERNAME: 'aftermath',
        KAFKA_SASL_PASSWORD: 'hunter2',
      });
      expect(config).toMatchObject({ KAFKA_SSL: true, KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'aftermath' });
    });

    it.each([
      [{ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_PASSWORD: 'p' }, 'KAFKA_SASL_USERNAME=unset: required with KAFKA_SASL_MECHANISM=plain'],
      [{ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u' }, 'KAFKA_SASL_PASSWORD=unset: required with KAFKA_SASL_MECHANISM=plain'],
      [{ KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' }, 'KAFKA_SASL_MECHANISM=unset: required with'],
      [{ KAFKA_SSL_CA_FILE: 'package.json' }, 'KAFKA_SSL=unset: must be true when KAFKA_SSL_CA_FILE is set'],
      [{ KAFKA_SSL: 'true', KAFKA_SSL_CERT_FILE: 'package.json' }, 'KAFKA_SSL_KEY_FILE=unset: client certificate and key go together'],
    ])('refuses inconsistent settings %j', (env, message) => {
      const attempt = () => loadConfig(schema, env);
      expect(attempt).toThrow(invalidConfiguration);
      expect(attempt).toThrow(`Invalid configuration: ${message}`);
    });

    it('never prints the password', () => {
      expect(() => loadConfig(schema, { KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'hunter2' })).toThrow(/^(?!.*hunter2)/);
    });
  });
});
