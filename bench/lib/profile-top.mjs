// Summarises a .cpuprofile: self time by function and by module (package or source folder).
// Usage: node bench/lib/profile-top.mjs FILE.cpuprofile [top]
import { readFileSync } from 'node:fs';

export function summariseProfile(file, top = 15) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i += 1) {
    const id = profile.samples[i];
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  let total = 0;
  const byFunction = new Map();
  const byModule = new Map();
  for (const [id, micros] of self) {
    total += micros;
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    const where = shorten(url);
    const name = `${functionName || '(anonymous)'} ${where ? `${where}:${lineNumber + 1}` : ''}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
    const module = moduleOf(url, functionName);
    byModule.set(module, (byModule.get(module) ?? 0) + micros);
  }
  const rank = (map) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => ({ name, ms: Math.round(micros / 1000), share: Number(((100 * micros) / total).toFixed(1)) }));
  return { totalMs: Math.round(total / 1000), functions: rank(byFunction), modules: rank(byModule) };
}

function shorten(url) {
  if (!url) return '';
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) return path.slice(nm + '/node_modules/'.length);
  const repo = path.search(/\/(apps|libs|bench)\//);
  return repo >= 0 ? path.slice(repo + 1) : path;
}

function moduleOf(url, functionName) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native/V8)';
  const path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + '/node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const repo = /\/((?:apps|libs)\/[^/]+\/dist\/[^/]+)/.exec(path);
  if (repo) return repo[1].replace('/dist', '');
  if (path.startsWith('node:')) return 'node:internal';
  return path;
}

/** CPU profile of this process's main thread, with node:inspector; stop(file) writes and summarises it. */
export async function startProfiler() {
  const { Session } = await import('node:inspector/promises');
  const { writeFileSync } = await import('node:fs');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 1000 });
  await session.post('Profiler.start');
  return {
    async stop(file, top = 20) {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      writeFileSync(file, JSON.stringify(profile));
      return { file, summary: summariseProfile(file, top) };
    },
  };
}

export function printProfile(summary, print = console.log) {
  print(`  CPU profile: ${summary.totalMs} ms sampled`);
  print('  top modules (self time):');
  for (const row of summary.modules) print(`    ${String(row.share).padStart(5)}%  ${String(row.ms).padStart(7)} ms  ${row.name}`);
  print('  top functions (self time):');
  for (const row of summary.functions) print(`    ${String(row.share).padStart(5)}%  ${String(row.ms).padStart(7)} ms  ${row.name}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  printProfile(summariseProfile(process.argv[2], Number(process.argv[3] ?? 20)));
}
