import type { DataSource } from 'typeorm';
import { ADVISORY_LOCKS, openDataSource } from '@app/platform';
import { CreateRendererStore1764158500000 } from './migrations/1764158500000-create-renderer-store.js';
import { Lz4Compression1764252100000 } from './migrations/1764252100000-lz4-compression.js';
import { IncidentAliases1764640100000 } from './migrations/1764640100000-incident-aliases.js';
import { VaultFiles1764900000000 } from './migrations/1764900000000-vault-files.js';
import { EventSequence1765200000000 } from './migrations/1765200000000-event-sequence.js';
import { PlacementOrder1765300000000 } from './migrations/1765300000000-placement-order.js';
import { RetractionsByTarget1765400000000 } from './migrations/1765400000000-retractions-by-target.js';
import { DraftOutbox1765500000000 } from './migrations/1765500000000-draft-outbox.js';

export const openRendererDataSource = (databaseUrl: string, poolSize = 5): Promise<DataSource> =>
  openDataSource({
    databaseUrl,
    poolSize,
    migrations: [CreateRendererStore1764158500000, Lz4Compression1764252100000, IncidentAliases1764640100000, VaultFiles1764900000000, EventSequence1765200000000, PlacementOrder1765300000000, RetractionsByTarget1765400000000, DraftOutbox1765500000000],
    migrationsTableName: 'renderer_migrations',
    migrationLock: ADVISORY_LOCKS.rendererMigrations,
  });
