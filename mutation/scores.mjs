// Mutation scores per folder, from Stryker's JSON reports (mutation-testing-metrics computes them as Stryker does:
// killed and timed out over every mutant that ran or had no test, ignored and compile errors left out).
import { calculateMetrics } from 'mutation-testing-metrics';

/** Every folder of the reports' files, with its figures, parents before children. */
export function folderScores(files) {
  const rows = [];
  const visit = (result, path) => {
    if (result.file) return;
    if (path) rows.push({ folder: path, ...figures(result.metrics) });
    for (const child of result.childResults) visit(child, path ? `${path}/${child.name}` : child.name);
  };
  const root = calculateMetrics(files);
  // calculateMetrics names the root after the common prefix of the files and collapses single-child folders.
  visit(root, root.name === 'All files' ? '' : root.name);
  return { total: figures(root.metrics), rows };
}

export function figures(metrics) {
  return {
    score: metrics.mutationScore,
    killed: metrics.killed,
    timeout: metrics.timeout,
    survived: metrics.survived,
    noCoverage: metrics.noCoverage,
    ignored: metrics.ignored,
    errors: metrics.runtimeErrors + metrics.compileErrors,
    total: metrics.totalMutants,
  };
}

/** Which goals (GOALS in parts.mjs) the scores miss, as sentences. */
export function missedGoals(total, rows, goals) {
  const missed = [];
  if (!(total.score >= goals.overall)) missed.push(`overall ${format(total.score)} % < ${goals.overall} %`);
  for (const [folder, goal] of Object.entries(goals.folders)) {
    const row = rows.find((candidate) => candidate.folder === folder);
    if (row && !(row.score >= goal)) missed.push(`${folder} ${format(row.score)} % < ${goal} %`);
  }
  return missed;
}

export const format = (score) => (Number.isFinite(score) ? score.toFixed(2) : 'n/a');

/** The table printed after a run and kept in docs/reliability.md. */
export function scoreTable(total, rows) {
  const line = (name, row) => `| ${name} | ${format(row.score)} | ${row.killed} | ${row.timeout} | ${row.survived} | ${row.noCoverage} | ${row.ignored} |`;
  return [
    '| folder | score % | killed | timeout | survived | no coverage | ignored |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((row) => line(`\`${row.folder}\``, row)),
    line('**all**', total),
  ].join('\n');
}
