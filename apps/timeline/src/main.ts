import { runService } from '@app/platform';
import { startTimeline } from './app.js';
import { loadTimelineConfig } from './config.js';

await runService('timeline', () => startTimeline(loadTimelineConfig()));
