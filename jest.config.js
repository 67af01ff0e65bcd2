/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The fault tests (own PostgreSQL clusters, waits on server timeouts) run only when named: `npm run test:faults`.
  testPathIgnorePatterns: process.argv.some((a) => a.includes('test/reliability')) ? ['/node_modules/'] : ['/node_modules/', '<rootDir>/test/reliability/'],
  transform: {
    // Type checking is `npm run typecheck`; jest only transpiles, which keeps 2 cores busy with tests.
    '^.+\\.tsx?$': ['ts-jest', { diagnostics: false }],
    // jose 6 ships ESM only; Node 20 loads it with require(esm), jest needs it transpiled.
    '^.+/node_modules/jose/.+\\.js$': ['ts-jest', { diagnostics: false, tsconfig: { allowJs: true, module: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  moduleNameMapper: {
    // office-addin-mock depends on an ESM-only build; its CommonJS entry works under jest.
    '^office-addin-manifest$': '<rootDir>/node_modules/office-addin-manifest/lib/officeApp.js',
  },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // Generous: CI is a loaded 2-core machine, and no test may fail on speed alone.
  testTimeout: 180000,
  maxWorkers: 2,
};
