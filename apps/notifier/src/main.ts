import { runService } from '@app/platform';
import { startNotifier } from './app.js';
import { loadNotifierConfig } from './config.js';

await runService('notifier', () => startNotifier(loadNotifierConfig()));
