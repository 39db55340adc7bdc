import { runService } from '@app/platform';
import { startWeb } from './app.js';
import { loadWebConfig } from './config.js';

await runService('web', () => startWeb(loadWebConfig()));
