import { z } from 'zod';
import { commonEnv, ConfigError, loadConfig, port } from './load-config.js';

const schema = z.object({ ...commonEnv, INGEST_PORT: port(3001) });

describe('loadConfig', () => {
  it('gives every variable a working default', () => {
    const config = loadConfig(schema, {});
    expect(config).toEqual({
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      KAFKA_TOPIC_PREFIX: '',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/aftermath',
      LOG_LEVEL: 'info',
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
  ])('names the variable %s when it is %s', (variable, value) => {
    const attempt = () => loadConfig(schema, { [variable]: value });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(new RegExp(`^Invalid configuration: ${variable}="${value}": `));
  });
});
