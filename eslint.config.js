// Lint rules that catch what the type checker does not: no `any`, no floating or misused
// promises, no unused code. The type-aware rules (the promise ones) take their types from one
// program over the whole repo, tsconfig.eslint.json (the workspaces' tsconfigs all share one set
// of options): one program instead of one per workspace, each of which would check its
// dependencies' sources again, takes `eslint .` from about 70 s of CPU to about 30 s. They are
// kept few for the same reason. test/lint.test.ts proves `eslint .` reports them.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/*.js', '**/*.cjs', 'tools/**', 'e2e/conformance/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.eslint.json'],
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
