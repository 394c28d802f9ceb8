import { defineConfig } from 'vitest/config';
const resolve = { conditions: ['source'] };
export default defineConfig({
  resolve, ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: { root: '/work/main', include: ['apps/virt-api/src/**/*.test.ts'], testTimeout: 20000 },
});
