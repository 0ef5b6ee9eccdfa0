import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'libs/*/src/**/*.test.ts',
            'libs/*/src/**/*.test.tsx',
            'deploy/*/src/**/*.test.ts',
            'schemas/**/*.test.ts',
            'test/bench/**/*.test.ts',
            'test/support/**/*.test.ts',
          ],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 60_000,
          // A cold native stack downloads Kafka, Apicurio and builds FerretDB before the first test.
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
