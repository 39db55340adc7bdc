import 'reflect-metadata';
import { Registry } from 'prom-client';
import { isProblem } from '@app/platform';
import { loadRendererConfig } from '../config.js';
import { DraftWriter } from '../drafts/draft-writer.js';
import { loadRcaTemplate, RcaDrafts } from '../drafts/rca-drafts.js';
import { RendererMetrics } from '../drafts/renderer-metrics.js';
import { Vault } from '../drafts/vault.js';
import { rebuildDrafts } from './rebuild-drafts.js';
import { openRendererDataSource } from '../store/data-source.js';
import { RendererStore } from '../store/renderer-store.js';

// `npm run rebuild:renderer` (and the second half of `npm run rebuild`): the renderer's projections and drafts
// follow the code that runs now. Same variables as the renderer service (DATABASE_URL, RCA_TEMPLATE, RCA_OUTPUT_DIR).
// Not in cli/, whose tools stay free of Nest and the database.
try {
  const config = loadRendererConfig();
  const template = loadRcaTemplate(config.RCA_TEMPLATE);
  const dataSource = await openRendererDataSource(config.DATABASE_URL, 2);
  const metrics = new RendererMetrics(new Registry());
  const store = new RendererStore(dataSource);
  const writer = new DraftWriter(store, new RcaDrafts(template, metrics), metrics, new Vault(config, metrics));
  const report = await rebuildDrafts(dataSource, store, writer);
  await dataSource.destroy();
  process.stdout.write(`renderer: re-projected ${report.incidents} incidents, ${report.drafts} new draft versions in ${report.seconds.toFixed(2)} s\n`);
} catch (error) {
  process.stderr.write(`rebuild:renderer: ${isProblem(error, 'invalid-configuration') ? error.detail : error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
}
