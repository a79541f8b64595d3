import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.cache/**', 'test/fixtures/**', '*.mjs', 'scripts/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // Only the extension layer (and what runs inside the extension host: integration tests, bench/*Host.ts) may touch the editor API.
    files: ['src/core/**/*.ts', 'src/store/**/*.ts', 'src/cli/**/*.ts', 'test/unit/**/*.ts', 'test/cli/**/*.ts', 'bench/**/*.ts'],
    ignores: ['bench/*Host.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'Only src/extension/ may import vscode.' }] }] },
  },
  {
    // core/ is pure: no Node I/O either.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['vscode', 'fs', 'path', 'child_process', 'os', 'crypto'].map((name) => ({ name, message: 'core/ is pure: no vscode and no Node I/O.' })),
        patterns: [{ group: ['node:*', '../store/*', '../cli/*', '../extension/*'], message: 'core/ imports nothing but itself and diff.' }],
      }],
    },
  },
  {
    files: ['src/cli/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
