// A Stryker test runner: the jest runner, run per mutant on the test files that hold the tests covering it.
//
// The jest runner narrows a mutant's run with `jest --findRelatedTests <mutated file>` and a name pattern of the
// covering tests. Our tests import `@app/domain` (the index of the whole core), so every test file is "related"
// to every domain file, and jest loads all of them to skip all but a few tests: about a minute per mutant where
// the covering tests take a second. This runner learns in the dry run which file holds each test and gives the
// jest runner one covering file at a time instead, stopping at the first that kills the mutant.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strykerPlugins as jestPlugins } from '@stryker-mutator/jest-runner';
import { commonTokens, declareFactoryPlugin, PluginKind, tokens } from '@stryker-mutator/api/plugin';

// The dry run happens in one worker process; the others read what it found here, in the shared sandbox.
const TEST_FILES = '.stryker-test-files.json';

class CoveringFilesRunner {
  constructor(jest) {
    this.jest = jest;
    this.filesOfTest = null;
  }

  capabilities() {
    return this.jest.capabilities();
  }

  init() {
    return this.jest.init();
  }

  dispose() {
    return this.jest.dispose?.();
  }

  async dryRun(options) {
    const result = await this.jest.dryRun(options);
    if (result.status === 'complete') {
      const files = {};
      for (const test of result.tests) if (test.fileName) (files[test.id] ??= []).push({ file: test.fileName, ms: test.timeSpentMs });
      writeFileSync(join(process.cwd(), TEST_FILES), JSON.stringify(files));
      this.filesOfTest = new Map(Object.entries(files));
    }
    return result;
  }

  async mutantRun(options) {
    const files = this.coveringFiles(options.testFilter);
    if (files === null) return this.jest.mutantRun(options);
    let nrOfTests = 0;
    for (const file of files) {
      const result = await this.jest.mutantRun({ ...options, sandboxFileName: file });
      if (result.status !== 'survived') return result.status === 'killed' ? { ...result, nrOfTests: nrOfTests + result.nrOfTests } : result;
      nrOfTests += result.nrOfTests;
    }
    return { status: 'survived', nrOfTests };
  }

  /**
   * The files holding the tests of `testFilter`, quickest first (their covering tests' time in the dry run): most
   * mutants die in the first. Null when the mutant needs every test (a static mutant).
   */
  coveringFiles(testFilter) {
    if (!testFilter) return null;
    this.filesOfTest ??= new Map(Object.entries(JSON.parse(readFileSync(join(process.cwd(), TEST_FILES), 'utf8'))));
    const msOfFile = new Map();
    for (const id of testFilter) {
      const holders = this.filesOfTest.get(id);
      if (!holders) return null;
      for (const { file, ms } of holders) msOfFile.set(file, (msOfFile.get(file) ?? 0) + ms);
    }
    return [...msOfFile].sort((a, b) => a[1] - b[1]).map(([file]) => file);
  }
}

function coveringFilesRunnerFactory(injector) {
  return new CoveringFilesRunner(injector.injectFunction(jestPlugins.find((plugin) => plugin.name === 'jest').factory));
}
coveringFilesRunnerFactory.inject = tokens(commonTokens.injector);

export const strykerPlugins = [declareFactoryPlugin(PluginKind.TestRunner, 'jest-covering-files', coveringFilesRunnerFactory)];
