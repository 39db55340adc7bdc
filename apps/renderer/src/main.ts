import { runService } from '@app/platform';
import { startRenderer } from './app.js';
import { loadRendererConfig } from './config.js';

await runService('renderer', () => startRenderer(loadRendererConfig()));
