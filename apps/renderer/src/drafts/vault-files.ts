import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { EntityManager } from 'typeorm';

/**
 * Vault file names (RCA_OUTPUT_DIR) are `<date>-<slug>.md`, the names the drafts' wiki links use. Two
 * incidents can have the same one (same day, service and subject): the first to claim it keeps it, the
 * other gets `<date>-<slug>-<8 hex of its id>.md`. Claims live in `vault_files`, in the batch's
 * transaction, so a name never changes hands.
 */
export async function claimFileName(manager: EntityManager, incidentId: string, baseName: string): Promise<string | undefined> {
  const suffix = createHash('sha256').update(incidentId).digest('hex').slice(0, 8);
  for (const candidate of [`${baseName}.md`, `${baseName}-${suffix}.md`]) {
    await manager.query('INSERT INTO vault_files (file_name, incident_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [candidate, incidentId]);
    const [owner] = (await manager.query('SELECT incident_id FROM vault_files WHERE file_name = $1', [candidate])) as { incident_id: string }[];
    if (owner?.incident_id === incidentId) return candidate;
  }
  return undefined; // both taken: a collision of 32 bits of sha256 on one day's slug
}

/**
 * Written to a fresh temporary file (O_EXCL and O_NOFOLLOW: an existing file or symlink of that name
 * is never opened) and renamed over the target, which replaces a symlink there instead of writing
 * through it. Readers see the old file or the new one, never half of one.
 */
export async function writeWithoutFollowing(folder: string, fileName: string, content: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  const temporary = join(folder, `.${fileName}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
  try {
    await handle.writeFile(content, 'utf8');
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, join(folder, fileName));
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}
