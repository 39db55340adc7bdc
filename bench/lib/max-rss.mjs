// Preloaded with `node --import` into a command a benchmark runs: at exit, writes the process's peak
// resident memory (getrusage maxRSS, KiB, exact where sampling /proc would miss a short peak) to
// $BENCH_MAX_RSS_FILE.
import { writeFileSync } from 'node:fs';

const target = process.env.BENCH_MAX_RSS_FILE;
if (target) process.on('exit', () => writeFileSync(target, String(process.resourceUsage().maxRSS)));
