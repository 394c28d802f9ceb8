// Lint rules that catch what the type checker does not: no `any`, no floating promises at
// package boundaries, no unused code. Type-aware rules run per workspace's tsconfig.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/*.js', '**/*.cjs', 'tools/**', 'e2e/conformance/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
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
