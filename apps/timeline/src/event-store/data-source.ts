import type { DataSource } from 'typeorm';
import { ADVISORY_LOCKS, openDataSource } from '@app/platform';
import { CreateEventStore1764158400000 } from './migrations/1764158400000-create-event-store.js';
import { IndexCorrelationWindows1764172800000 } from './migrations/1764172800000-index-correlation-windows.js';
import { OutboxReferencesEvents1764176400000 } from './migrations/1764176400000-outbox-references-events.js';
import { Lz4Compression1764252000000 } from './migrations/1764252000000-lz4-compression.js';
import { IncidentAliases1764640000000 } from './migrations/1764640000000-incident-aliases.js';
import { IncidentFigures1764640200000 } from './migrations/1764640200000-incident-figures.js';
import { DeadLetters1764950400000 } from './migrations/1764950400000-dead-letters.js';
import { IndexIdleWindows1764950500000 } from './migrations/1764950500000-index-idle-windows.js';
import { OutboxDetached1765000000000 } from './migrations/1765000000000-outbox-detached.js';
import { CorrelationSnapshots1765100000000 } from './migrations/1765100000000-correlation-snapshots.js';
import { DeadLetterTopics1765200000000 } from './migrations/1765200000000-dead-letter-topics.js';

export const openTimelineDataSource = (databaseUrl: string, poolSize = 10): Promise<DataSource> =>
  openDataSource({
    databaseUrl,
    poolSize,
    migrations: [CreateEventStore1764158400000, IndexCorrelationWindows1764172800000, OutboxReferencesEvents1764176400000, Lz4Compression1764252000000, IncidentAliases1764640000000, IncidentFigures1764640200000, DeadLetters1764950400000, IndexIdleWindows1764950500000, OutboxDetached1765000000000, CorrelationSnapshots1765100000000, DeadLetterTopics1765200000000],
    migrationsTableName: 'timeline_migrations',
    migrationLock: ADVISORY_LOCKS.timelineMigrations,
  });
