// Preloaded with `node --import` into a service the benchmarks start with a CPU profile: profiles from
// start-up and writes the .cpuprofile to $BENCH_CPU_PROFILE on SIGUSR2 (Nest re-raises SIGTERM on
// shutdown, so node's own --cpu-prof would never write its file).
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';

const target = process.env.BENCH_CPU_PROFILE;
if (target) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable', () => {
    session.post('Profiler.setSamplingInterval', { interval: 1000 }, () => session.post('Profiler.start'));
  });
  process.on('SIGUSR2', () => {
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(target, JSON.stringify(result.profile));
    });
  });
}
