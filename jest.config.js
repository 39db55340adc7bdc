// ESM jest: run through `node --experimental-vm-modules` (see scripts/test.mjs).
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

// Also read by the mutation run (scripts/mutation.mjs), which gives Stryker one project per part.
export const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^@app/domain$': '<rootDir>/libs/domain/src/index.ts',
    '^@app/platform$': '<rootDir>/libs/platform/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testEnvironment: 'node',
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
};

export default {
  // A global option (jest ignores it per project): integration tests wait on a real broker and database.
  testTimeout: 120000,
  projects: [
    // One suffix per kind, each in its own place (README, "Layout"): `*.spec.ts` in-process, no broker or
    // database, beside the code (and test/deployment); `*.int-spec.ts` a service as it runs, on the real broker
    // and database, in apps/<service>/test; `*.e2e-spec.ts` the pipeline or real outside tools, in test/e2e.
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/libs/*/src/**/*.spec.ts', '<rootDir>/apps/*/src/**/*.spec.ts', '<rootDir>/test/deployment/**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/apps/*/test/**/*.int-spec.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
    },
  ],
};
