// What the mutation run mutates and which tests may kill each part's mutants. Globs, so a new file in these
// folders is mutated without a change here.
import { shared } from '../jest.config.js';

const NOT_TESTS = ['!**/*.spec.ts', '!**/*.int-spec.ts', '!**/*.e2e-spec.ts'];

export const PARTS = {
  // The pure core, against its own unit tests only (they load in a second; the services' tests are not its measure).
  domain: {
    mutate: ['libs/domain/src/**/*.ts', ...NOT_TESTS, '!**/index.ts'],
    tests: ['<rootDir>/libs/domain/src/**/*.spec.ts'],
    // Where jest looks (each mutant's run starts jest anew: the fewer files it crawls, the sooner it runs).
    roots: ['<rootDir>/libs/domain', '<rootDir>/test/support'],
    needsServices: false,
  },
  // The timeline's correlation (consumer) and storage (event-store, incidents), against the timeline's unit tests
  // and its integration tests, which run it in-process on the real broker and PostgreSQL. Migrations are left out:
  // they run once at start-up, outside every test (below, "static"), and every test stands on them.
  timeline: {
    mutate: ['apps/timeline/src/{consumer,event-store,incidents}/**/*.ts', ...NOT_TESTS, '!apps/timeline/src/event-store/migrations/**'],
    tests: ['<rootDir>/apps/timeline/src/**/*.spec.ts', '<rootDir>/apps/timeline/test/**/*.int-spec.ts'],
    roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test/support'],
    needsServices: true,
  },
};

/** Folders whose mutation score has a goal of its own (issue 24); the rest counts towards the whole. */
export const GOALS = {
  overall: 75,
  folders: { 'libs/domain/src/correlation': 85, 'libs/domain/src/projection': 85 },
};

export const incrementalFile = (part) => `reports/stryker-incremental-${part}.json`;
export const jsonReport = (part) => `reports/mutation/${part}.json`;

/** Stryker's options for one part. `mutate` narrows it (a focused run, which leaves the committed incremental file alone). */
export function strykerOptions(part, { force = false, mutate = null } = {}) {
  const { mutate: globs, tests, roots } = PARTS[part];
  const focused = mutate !== null;
  return {
    testRunner: 'jest-covering-files',
    plugins: ['@stryker-mutator/jest-runner', './mutation/covering-files-runner.mjs'],
    // ESM jest (scripts/test.mjs runs it so too).
    testRunnerNodeArgs: ['--experimental-vm-modules'],
    coverageAnalysis: 'perTest',
    jest: { projectType: 'custom', config: { ...shared, testTimeout: 120000, testMatch: tests, roots, setupFiles: ['<rootDir>/mutation/first-failure.mjs'] }, enableFindRelatedTests: true },
    mutate: focused ? mutate : globs,
    incremental: !focused,
    incrementalFile: incrementalFile(part),
    force,
    // A mutant of code that runs only outside every test (at import: constants, schemas; in a suite's beforeAll:
    // a service's start-up) would need every test of the part run again, modules reloaded, per mutant: about
    // half the domain's mutants ran so once, 92 % of the run's time. Such mutants are reported as ignored and
    // counted (docs/reliability.md); code run both at import and in tests is tested by those tests.
    ignoreStatic: true,
    thresholds: { high: 85, low: GOALS.overall, break: focused ? null : GOALS.overall },
    reporters: ['clear-text', 'progress-append-only', 'json', 'html'],
    clearTextReporter: { logTests: false, allowEmojis: false },
    jsonReporter: { fileName: focused ? `reports/mutation/${part}-focused.json` : jsonReport(part) },
    htmlReporter: { fileName: `reports/mutation/${part}${focused ? '-focused' : ''}.html` },
    concurrency: 2,
    // A shared, loaded machine: a test that took 1 s in the dry run may take several next time. A mutant that
    // only slows the tests down must not count as caught by a timeout that the load caused.
    timeoutMS: 20000,
    dryRunTimeoutMinutes: 60,
    tempDirName: '.stryker-tmp',
    ignorePatterns: ['.data', 'kafka/.cache', 'reports', 'bench/results', '.stryker-tmp'],
  };
}
