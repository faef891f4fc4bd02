// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Azure SDKs and Node I/O belong in adapters (DESIGN §2). */
const ioImports = [
  { group: ['@azure/*'], message: 'Use a port from src/core/ports instead of an Azure SDK.' },
  { group: ['node:http', 'node:https', 'node:fs', 'node:fs/*', 'undici'], message: 'I/O belongs in an adapter.' },
];
const adapterAndUseCaseFolders = [
  '**/sync/*',
  '**/store/*',
  '**/queue/*',
  '**/config/*',
  '**/telemetry/*',
  '**/compose/*',
  '**/functions/*',
  '**/cli/*',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.tools/**', 'infra/**/*.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'error',
    },
  },
  {
    // Prettier wraps code at 120 but never splits a string, template or comment: those are split by hand (issue 9).
    // ESLint keeps this core rule until v11; @stylistic/max-len takes the same options after that.
    files: ['src/**/*.{ts,js}'],
    rules: { 'max-len': ['error', { code: 120, tabWidth: 2 }] },
  },
  {
    // Layer boundaries (README "Project layout"); `npm run lint` also fails on import cycles
    // (test/support/check-imports.ts). The core owns the contracts and depends on nothing but API types.
    files: ['src/core/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            ...ioImports,
            {
              group: adapterAndUseCaseFolders.concat(['**/mapping/*', '**/http/*']),
              message: 'core depends on nothing else in src.',
            },
            { group: ['**/cin7/*', '**/bc/*'], allowTypeImports: true, message: 'core may only use API types.' },
            {
              group: ['**/cin7/*', '**/bc/*', '!**/cin7/schemas.js', '!**/bc/schemas.js'],
              message: 'core may only use the API schemas, as types.',
            },
          ],
        },
      ],
    },
  },
  {
    // Use cases and translation reach the outside only through the ports in src/core.
    files: ['src/sync/**/*.ts', 'src/mapping/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            ...ioImports,
            {
              group: adapterAndUseCaseFolders.filter((folder) => folder !== '**/sync/*'),
              message: 'Use a port from src/core/ports instead of an adapter.',
            },
            { group: ['**/cin7/client.js', '**/bc/client.js'], message: 'Use Cin7Port or BcPort from src/core/ports.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/mapping/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            ...ioImports,
            { group: adapterAndUseCaseFolders, message: 'Translation is pure: data in, data out.' },
            { group: ['**/cin7/client.js', '**/bc/client.js'], message: 'Translation is pure: data in, data out.' },
          ],
        },
      ],
    },
  },
  {
    // Adapters implement the core's ports and never call the use cases.
    files: ['src/{cin7,bc,store,queue,config,telemetry,http}/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/sync/*'], message: 'Adapters import src/core, never src/sync.' }] },
      ],
    },
  },
  {
    // Command-line entry points and the sandbox print to the terminal on purpose.
    files: ['src/cli/**/*.ts', 'test/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
