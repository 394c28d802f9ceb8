import { defineConfig } from 'vitest/config';

// Packages resolve each other's TypeScript source through the "source" export
// condition, so tests never need a build (Vitest monorepo convention).
const resolve = { conditions: ['source'] };
// Vitest runs tests through Vite's SSR pipeline, which takes its own resolve conditions.
const ssr = { resolve: { conditions: ['source'] } };

export default defineConfig({
  resolve,
  ssr,
  test: {
    projects: [
      {
        resolve,
        ssr,
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'e2e/src/**/*.test.ts', 'bench/src/**/*.test.ts', 'test/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        resolve,
        ssr,
        test: {
          name: 'integration',
          include: ['packages/*/test/**/*.int.test.ts', 'apps/*/test/**/*.int.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          // Integration suites share one machine's libvirt, ports and CPUs: one file at a time,
          // and never beside the e2e project's files (groupOrder, when both run in one command).
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        resolve,
        ssr,
        test: {
          name: 'e2e',
          include: ['e2e/**/*.int.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          fileParallelism: false,
          sequence: { groupOrder: 2 },
          // Stops the local stack if an e2e suite of this run started it (a no-op otherwise).
          globalSetup: ['e2e/src/e2e/global-setup.ts'],
        },
      },
    ],
  },
});
