import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { messageOf } from '@app/platform';
import { RENDERER_CONFIG, type RendererConfig } from '../config.js';
import { RendererMetrics } from './renderer-metrics.js';
import { claimFileName, writeWithoutFollowing } from './vault-files.js';

/**
 * The optional copy of each new draft in RCA_OUTPUT_DIR. The database holds the drafts; the vault is a
 * convenience, so a write that fails (a full disk, a folder made read-only after start-up) is counted and
 * logged, never thrown: throwing would make the consumer retry its batch forever and stop all drafts.
 * The file name is claimed in the batch's transaction (vault-files.ts), so a database error there fails
 * the batch like any other and is retried.
 */
@Injectable()
export class Vault {
  private readonly logger = new Logger('Vault');

  constructor(
    @Inject(RENDERER_CONFIG) private readonly config: Pick<RendererConfig, 'RCA_OUTPUT_DIR'>,
    private readonly metrics: RendererMetrics,
  ) {}

  /** Writes the draft of `incidentId` as `<baseName>.md`, or a name of its own when another incident has that one. */
  async write(manager: EntityManager, incidentId: string, baseName: string, markdown: string): Promise<void> {
    const folder = this.config.RCA_OUTPUT_DIR;
    if (!folder) return;
    const fileName = await claimFileName(manager, incidentId, baseName);
    try {
      if (!fileName) throw new Error(`both names for ${baseName} belong to other incidents`);
      await writeWithoutFollowing(folder, fileName, markdown);
    } catch (error) {
      this.metrics.vaultWriteFailures.inc();
      this.logger.warn(`could not write the draft of ${incidentId} to RCA_OUTPUT_DIR (${folder}); it is stored in the database: ${messageOf(error)}`);
    }
  }
}
