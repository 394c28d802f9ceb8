// @qvirt/testing/vitest: helpers that register vitest hooks (import them from test files only).
export { useTempDir, type TempDirOptions } from './temp-dir.js';
