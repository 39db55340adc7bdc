import { ANALYTICS_FIGURES, type AnalyticsFigure } from '../analytics/incident-analytics.js';
import type { ReplayFigures, ReplayReport } from './replay-report.js';

/** Rows a section of the table shows at most; `--json` lists every one. */
export const REPLAY_TABLE_ROWS = 50;

const FIGURE_LABELS: Record<AnalyticsFigure, string> = {
  timeToDetect: 'detect',
  timeToAcknowledge: 'acknowledge',
  timeToMitigate: 'mitigate',
  timeToResolve: 'resolve',
};

const value = (n: number | null) => (n === null ? '-' : String(n));
const incident = (id: string | null) => id ?? '(unattached)';
const change = (stored: string, replayed: string) => (stored === replayed ? stored : `${stored} -> ${replayed}`);

/** Columns padded to their widest cell, two spaces apart, without trailing blanks. */
function columns(rows: readonly string[][], indent = '  '): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => (indent + row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')).trimEnd());
}

function capped<T>(items: readonly T[], render: (shown: readonly T[]) => string[]): string[] {
  const lines = render(items.slice(0, REPLAY_TABLE_ROWS));
  return items.length > REPLAY_TABLE_ROWS ? [...lines, `  ... and ${items.length - REPLAY_TABLE_ROWS} more (--json lists every one)`] : lines;
}

function settingsLine(report: ReplayReport): string {
  const { marginMinutes, idleMinutes, groupLabels, serviceGroups } = report.settings;
  const groups = Object.entries(serviceGroups).map(([group, services]) => `${group}=${services.join(',')}`).join(';');
  return `CORRELATION_MARGIN_MINUTES=${marginMinutes} CORRELATION_IDLE_MINUTES=${idleMinutes} CORRELATION_GROUP_LABELS=${groupLabels.join(',')} CORRELATION_SERVICE_GROUPS=${groups}`;
}

/** An incident that goes shows its figures `-> gone`, a new one `new ->`; a figure recorded on neither side, `-`. */
function figureCells(stored: ReplayFigures | null, replayed: ReplayFigures | null): string[] {
  const side = (row: ReplayFigures | null, key: 'events' | AnalyticsFigure, other: ReplayFigures | null) =>
    row === null ? (other![key] === null ? '-' : other === stored ? 'gone' : 'new') : value(row[key]);
  const cell = (key: 'events' | AnalyticsFigure) => change(side(stored, key, replayed), side(replayed, key, stored));
  return [replayed?.service ?? stored?.service ?? '-', cell('events'), ...ANALYTICS_FIGURES.map(cell)];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The report as people read it in a terminal. Pure. */
export function renderReplayTable(report: ReplayReport): string {
  const range = report.from || report.to ? ` (incidents starting ${report.from ? `from ${report.from}` : ''}${report.from && report.to ? ' ' : ''}${report.to ? `before ${report.to}` : ''})` : '';
  const lines = [
    `${plural(report.events, 'stored event')}${range} correlated again, in memory, under`,
    `  ${settingsLine(report)}`,
    'Nothing was changed.',
    '',
    ...columns([
      ['', 'stored', 'replayed'],
      ['incidents', String(report.incidents.stored), String(report.incidents.replayed)],
      ['unattached events', String(report.unattached.stored), String(report.unattached.replayed)],
    ], ''),
    `${plural(report.incidents.unchanged, 'incident')} unchanged.`,
    '',
  ];
  const mergedFrom = report.merged.reduce((sum, merge) => sum + merge.from.length, 0);
  lines.push(report.merged.length === 0 ? 'Merged: none' : `Merged: ${plural(mergedFrom, 'stored incident')} into ${report.merged.length}`);
  lines.push(...capped(report.merged, (shown) => shown.map((merge) => `  ${merge.into} <- ${merge.from.join(', ')} (${merge.events} events)`)));
  const splitInto = report.split.reduce((sum, split) => sum + split.into.length, 0);
  lines.push('', report.split.length === 0 ? 'Split: none' : `Split: ${plural(report.split.length, 'stored incident')} into ${splitInto}`);
  lines.push(...capped(report.split, (shown) => shown.map((split) => `  ${split.from} -> ${split.into.join(', ')} (${split.events} events)`)));
  lines.push('', report.moved.events === 0 ? 'Events moved: none' : `Events moved: ${report.moved.events}`);
  if (report.moved.groups.length > 0) {
    lines.push(...capped(report.moved.groups, (shown) => columns([['from', 'to', 'events'], ...shown.map((group) => [incident(group.from), incident(group.to), String(group.eventIds.length)])])));
  }
  lines.push('', report.figures.incidents.length === 0 ? 'Figures that change: none' : 'Figures that change (minutes; stored -> replayed):');
  if (report.figures.incidents.length > 0) {
    const header = ['incident', 'service', 'events', ...ANALYTICS_FIGURES.map((figure) => FIGURE_LABELS[figure])];
    lines.push(...capped(report.figures.incidents, (shown) => columns([header, ...shown.map((row) => [row.id, ...figureCells(row.stored, row.replayed)])])));
  }
  lines.push('', 'Across incidents (minutes, nearest rank; stored -> replayed):');
  lines.push(
    ...columns([
      ['figure', 'p50', 'p90', 'recorded'],
      ...ANALYTICS_FIGURES.map((figure) => {
        const { stored, replayed } = report.figures.overall[figure];
        return [`time to ${FIGURE_LABELS[figure]}`, change(value(stored.p50), value(replayed.p50)), change(value(stored.p90), value(replayed.p90)), change(String(stored.recorded), String(replayed.recorded))];
      }),
    ]),
  );
  return `${lines.join('\n')}\n`;
}
