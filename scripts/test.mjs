// `npm test`: builds, makes sure a Kafka broker and PostgreSQL answer (starting a local broker when none
// does), runs the whole jest suite, and stops what it started. Arguments go to jest.
import { ensureKafka, ensurePostgres, root, run, stopKafka } from './infra.mjs';

const log = (line) => process.stderr.write(`test: ${line}\n`);

let startedKafka = false;
let code = 1;
try {
  code = await run('node', ['node_modules/typescript/bin/tsc', '-b', 'tsconfig.build.json']);
  if (code !== 0) throw new Error('the build failed');
  await ensurePostgres(log);
  startedKafka = await ensureKafka(log);
  code = await run(process.execPath, ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js', ...process.argv.slice(2)], {
    cwd: root,
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
} catch (error) {
  log(error.message);
  code = 1;
} finally {
  if (startedKafka && !process.env.KEEP_KAFKA) stopKafka();
}
process.exit(code);
