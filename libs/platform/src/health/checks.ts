import type { Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import type { ReadinessCheck } from './health.controller.js';

/** Kafka is ready when the cluster answers a metadata request. */
export function kafkaReadiness(kafka: Kafka): ReadinessCheck {
  return {
    name: 'kafka',
    async check() {
      const admin = kafka.admin({ retry: { retries: 0 } });
      await admin.connect();
      try {
        await admin.describeCluster();
      } finally {
        await admin.disconnect();
      }
    },
  };
}

export function databaseReadiness(dataSource: DataSource): ReadinessCheck {
  return {
    name: 'database',
    async check() {
      if (!dataSource.isInitialized) throw new Error('not connected');
      await dataSource.query('SELECT 1');
    },
  };
}
