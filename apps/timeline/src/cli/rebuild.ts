import 'reflect-metadata';
import { correlationSettingsOf } from '@app/domain';
import { isProblem } from '@app/platform';
import { loadTimelineConfig } from '../config.js';
import { openTimelineDataSource } from '../event-store/data-source.js';
import { rebuildTimelineAlone } from '../rebuild/rebuild-projections.js';

try {
  const config = loadTimelineConfig();
  const dataSource = await openTimelineDataSource(config.DATABASE_URL, 2);
  const report = await rebuildTimelineAlone(dataSource, correlationSettingsOf(config));
  await dataSource.destroy();
  if (!report) {
    process.stderr.write('rebuild: another rebuild is running (POST /v1/admin/rebuild or npm run rebuild); try again when it has finished\n');
    process.exit(1);
  }
  const c = report.correlation!;
  process.stdout.write(
    `re-correlated ${c.events} events: ${c.incidents} incidents (${c.opened} new, ${c.retired} joined into others), ${c.moved} events moved (${c.detached} to no incident) in ${c.seconds.toFixed(2)} s\n`,
  );
  const rate = report.seconds > 0 ? Math.round(report.events / report.seconds) : report.events;
  process.stdout.write(`rebuilt ${report.incidents} incidents from ${report.events} events in ${report.seconds.toFixed(2)} s (${rate} events/s)\n`);
} catch (error) {
  process.stderr.write(`rebuild: ${isProblem(error, 'invalid-configuration') ? error.detail : error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
}
