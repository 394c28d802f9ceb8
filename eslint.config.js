// Lint rules that catch what the type checker does not: no `any`, no floating or misused
// promises, no unused code. The type-aware rules (the promise ones) take their types from each
// file's nearest tsconfig.json (a workspace's, or the root one for vitest.config.ts and test/);
// they are kept few because each one costs type information on every file.
// test/lint.test.ts proves `eslint .` reports them.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/*.js', '**/*.cjs', 'tools/**', 'e2e/conformance/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // Tests probe untyped JSON (rendered manifests, AdmissionReviews) field by field; `any`
    // there is a test's own business, never a package boundary.
    files: ['**/*.test.ts', '**/test/**/*.ts', '**/testdata/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
