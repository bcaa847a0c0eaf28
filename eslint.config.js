// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Packages that tie code to one cloud: forbidden in functions/, the platform-free core. */
const platformPackages = ['aws-lambda', '@azure/*', '@google-cloud/*', '@aws-sdk/*', '@middy/*', '@aws-lambda-powertools/*'];

export default tseslint.config(
  { ignores: ['node_modules/', '.esbuild/', '.esbuild-*/', '.serverless/', 'dist/', 'coverage/', '.local-data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The local console's page script (adapters/local/local-console.ts serves it) runs in a browser.
    files: ['adapters/local/console/*.js'],
    languageOptions: { globals: globals.browser, sourceType: 'script' },
  },
  {
    files: ['functions/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: platformPackages, message: 'functions/ is platform-free: put platform code in adapters/<platform>/.' },
            { group: ['**/adapters/**'], message: 'functions/ must not depend on adapters.' },
          ],
        },
      ],
    },
  },
  {
    // Lists are paged Queries (adapters/aws/dynamodb/paging.ts): a Scan reads the whole table, whatever the page.
    files: ['adapters/**/*.ts', 'offline/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@aws-sdk/client-dynamodb', importNames: ['ScanCommand', 'paginateScan'], message: 'No Scan: page through a list partition or index with Query.' },
            { name: '@aws-sdk/lib-dynamodb', importNames: ['ScanCommand', 'paginateScan'], message: 'No Scan: page through a list partition or index with Query.' },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'it', property: 'only', message: 'No focused tests.' },
        { object: 'describe', property: 'only', message: 'No focused tests.' },
        { object: 'test', property: 'only', message: 'No focused tests.' },
        { object: 'it', property: 'skip', message: 'No skipped tests.' },
        { object: 'describe', property: 'skip', message: 'No skipped tests.' },
        { object: 'test', property: 'skip', message: 'No skipped tests.' },
      ],
    },
  },
);
