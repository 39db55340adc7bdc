import { runService } from '@app/platform';
import { startIngest } from './app.js';
import { loadIngestConfig } from './config.js';

await runService('ingest', () => startIngest(loadIngestConfig()));
