import { Inject, Injectable, Logger } from '@nestjs/common';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RENDERER_CONFIG, type RendererConfig } from '../config.js';
import { RendererMetrics } from './renderer-metrics.js';

/**
 * The optional copy of each new draft in RCA_OUTPUT_DIR. The database holds the drafts; the vault is a
 * convenience, so a write that fails (a full disk, a folder made read-only after start-up) is counted and
 * logged, never thrown: throwing would make the consumer retry its batch forever and stop all drafts.
 */
@Injectable()
export class Vault {
  private readonly logger = new Logger('Vault');

  constructor(
    @Inject(RENDERER_CONFIG) private readonly config: Pick<RendererConfig, 'RCA_OUTPUT_DIR'>,
    private readonly metrics: RendererMetrics,
  ) {}

  async write(fileName: string, markdown: string): Promise<void> {
    const folder = this.config.RCA_OUTPUT_DIR;
    if (!folder) return;
    try {
      await writeAtomically(folder, fileName, markdown);
    } catch (error) {
      this.metrics.vaultWriteFailures.inc();
      this.logger.warn(`could not write ${fileName} to RCA_OUTPUT_DIR (${folder}); the draft is stored in the database: ${(error as Error).message}`);
    }
  }
}

async function writeAtomically(folder: string, fileName: string, content: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  const temporary = join(folder, `.${fileName}.${process.pid}.tmp`);
  await writeFile(temporary, content, 'utf8');
  await rename(temporary, join(folder, fileName));
}
