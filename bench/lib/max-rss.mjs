// Preloaded with `node --import` (in NODE_OPTIONS) into a command a benchmark runs: at exit, appends the
// process's peak resident memory (getrusage maxRSS, KiB, exact where sampling /proc could miss a short
// peak) as a line to $BENCH_MAX_RSS_FILE. Every node process under it appends (npm is one): read the largest.
import { appendFileSync } from 'node:fs';

const target = process.env.BENCH_MAX_RSS_FILE;
if (target) process.on('exit', () => appendFileSync(target, `${process.resourceUsage().maxRSS}\n`));
