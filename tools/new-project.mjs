#!/usr/bin/env node
// Creates (or refreshes) the Nx boilerplate of one project: project.json with the
// four targets every project has, a tsconfig for `typecheck`, and a jest config.
// Usage: node tools/new-project.mjs <apps|libs>/<name> <type> [scope]
import fs from 'node:fs';
import path from 'node:path';

const [dir, type, scopeArg] = process.argv.slice(2);
if (!dir || !type || !/^(apps|libs)\/[a-z][a-z0-9-]*$/.test(dir)) {
  console.error('usage: node tools/new-project.mjs <apps|libs>/<name> <app|contract|util|lib|testing> [scope]');
  process.exit(2);
}
const name = path.basename(dir);
// each project is its own scope: eslint.config.mjs (LIB_ARROWS) says which scopes a lib may import
const scope = scopeArg ?? name;
const isApp = dir.startsWith('apps/');
const root = path.resolve(dir);
fs.mkdirSync(path.join(root, 'src'), { recursive: true });

const write = (file, data) => fs.writeFileSync(path.join(root, file), data);
write('project.json', JSON.stringify({
  name: isApp ? name : `lib-${name}`,
  $schema: '../../node_modules/nx/schemas/project-schema.json',
  sourceRoot: `${dir}/src`,
  projectType: isApp ? 'application' : 'library',
  tags: [`type:${type}`, `scope:${scope}`],
  targets: {
    build: isApp
      ? { executor: 'nx:run-commands', options: { command: `node tools/build.mjs ${name}` }, outputs: [`{workspaceRoot}/dist/apps/${name}`] }
      : { executor: 'nx:run-commands', options: { command: `tsc -p ${dir}/tsconfig.json --noEmit` } },
    typecheck: { executor: 'nx:run-commands', options: { command: `tsc -p ${dir}/tsconfig.json --noEmit` } },
    lint: { executor: 'nx:run-commands', options: { command: `eslint --no-error-on-unmatched-pattern ${dir}` } },
    test: { executor: 'nx:run-commands', options: { command: `jest -c ${dir}/jest.config.cjs --json --outputFile=tmp/test-results/${isApp ? name : `lib-${name}`}.json` } },
  },
}, null, 2) + '\n');
write('tsconfig.json', JSON.stringify({ extends: '../../tsconfig.base.json', include: ['src/**/*.ts'] }, null, 2) + '\n');
write('jest.config.cjs', `module.exports = {\n  displayName: '${name}',\n  preset: '../../jest.preset.js',\n  rootDir: __dirname,\n  passWithNoTests: false,\n};\n`);
console.log(`project ${dir} (type:${type}, scope:${scope}) ready${isApp ? '' : `; add its arrow (scope:${scope} → the scopes it imports) to LIB_ARROWS in eslint.config.mjs`}`);
