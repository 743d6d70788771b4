// Layer rules are errors, not conventions (CONTRIBUTING.md "The layers"): an app never
// imports an app, libs never import apps, and every lib imports only the libs its arrow
// below names. tools/lint/house-rules.spec.ts lints fixtures against this file and shows
// each rule failing.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/**
 * The arrows between libs: `scope:<lib>` → the scopes it may import. Derived from the
 * real imports, tightened where one broke layering (rpc is transport only: log shipping
 * lives in logclient, directory setup and the service life in service-runtime). A new
 * lib gets an entry here; the house-rules test fails for a lib without one.
 */
export const LIB_ARROWS = {
  core: [],
  contracts: ['core'],
  codec: ['core'],
  storage: ['core'],
  tmux: ['core'],
  rpc: ['core'],
  tokens: ['core', 'storage'],
  profiles: ['core', 'contracts', 'storage'],
  servicefiles: ['core', 'storage'],
  runtimes: ['core', 'tmux'],
  logclient: ['core', 'contracts', 'rpc'],
  'service-runtime': ['core', 'storage', 'rpc', 'logclient'],
  testing: ['core', 'contracts', 'rpc', 'runtimes', 'tmux', 'service-runtime'],
};

/**
 * Specs may reach one arrow further when the thing under test is a wire convention owned
 * elsewhere: rpc's specs build routers on the contracts' tRPC instance, so they check that
 * `data.iapeerCode` crosses the socket exactly as the services produce it.
 */
const SPEC_ARROWS = { ...LIB_ARROWS, rpc: ['core', 'contracts'] };

const TYPE_CONSTRAINTS = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:contract', 'type:util', 'type:lib', 'type:testing'] },
  { sourceTag: 'type:contract', onlyDependOnLibsWithTags: ['type:util'] },
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:contract', 'type:util', 'type:lib'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:contract', 'type:util', 'type:lib', 'type:testing'] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:contract', 'type:util', 'type:lib', 'type:testing'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:contract', 'type:util', 'type:lib', 'type:testing'] },
];

/** rpc carries bytes; logging (pino) belongs to whoever runs the service. */
const EXTERNAL_BANS = [{ sourceTag: 'scope:rpc', bannedExternalImports: ['pino', 'proper-lockfile'] }];

const boundaries = (arrows) => [
  'error',
  {
    enforceBuildableLibDependency: false,
    // the CLI loads some libs on use to keep start-up fast (docs/notes/bench.md); its
    // tests import them statically, which is fine: nothing here is code-split
    checkDynamicDependenciesExceptions: ['@iapeer/runtimes'],
    allow: [],
    depConstraints: [
      ...TYPE_CONSTRAINTS,
      ...Object.entries(arrows).map(([lib, deps]) => ({ sourceTag: `scope:${lib}`, onlyDependOnLibsWithTags: deps.map((d) => `scope:${d}`) })),
      ...EXTERNAL_BANS,
    ],
  },
];

export default [
  { ignores: ['**/dist', '**/node_modules', 'bench/results', '**/*.cjs', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      // a spec may keep an `any` only behind an eslint-disable comment that says why
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@nx/enforce-module-boundaries': boundaries(LIB_ARROWS),
    },
  },
  {
    files: ['**/*.spec.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(SPEC_ARROWS) },
  },
];
