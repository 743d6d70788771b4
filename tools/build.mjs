#!/usr/bin/env node
// Bundles each app into one file with esbuild (libs are non-buildable and bundled in;
// one file per process keeps CLI start-up near bare node: docs/notes/stack.md "CLI start-up").
// Usage: node tools/build.mjs [app ...]   (default: every app)
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const all = fs.readdirSync(path.join(root, 'apps')).filter((a) => fs.existsSync(path.join(root, 'apps', a, 'src', 'main.ts')));
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : all;

const CLI_LAZY_PACKAGES = ['zod', 'transliteration', 'pino', 'proper-lockfile', '@modelcontextprotocol/sdk'];

const t0 = Date.now();
await Promise.all(
  wanted.map((app) =>
    build({
      entryPoints: [path.join(root, 'apps', app, 'src', 'main.ts')],
      outfile: path.join(root, 'dist', 'apps', app, 'main.js'),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      sourcemap: 'linked',
      tsconfig: path.join(root, 'tsconfig.base.json'),
      define: { __IAPEER_VERSION__: JSON.stringify(pkg.version) },
      logLevel: 'warning',
      legalComments: 'none',
      // The CLI starts on every command: big dependencies that only some verbs use stay
      // out of its bundle and load from node_modules when a verb needs them (V8 parses the
      // whole bundle at start; docs/notes/bench.md)
      external: app === 'cli' ? CLI_LAZY_PACKAGES : [],
    }),
  ),
);
// An app with a browser page (the console) gets it bundled beside its main.js: one
// script, its stylesheet and index.html in dist/apps/<app>/page/, served by the app itself (no CDN).
await Promise.all(
  wanted
    .filter((app) => fs.existsSync(path.join(root, 'apps', app, 'src', 'page', 'main.tsx')))
    .map(async (app) => {
      const src = path.join(root, 'apps', app, 'src', 'page');
      const out = path.join(root, 'dist', 'apps', app, 'page');
      await build({
        entryPoints: [path.join(src, 'main.tsx')],
        outfile: path.join(out, 'app.js'),
        bundle: true,
        platform: 'browser',
        target: ['chrome110', 'firefox110', 'safari16'],
        format: 'iife',
        minify: true,
        sourcemap: 'linked',
        jsx: 'automatic',
        jsxImportSource: 'preact',
        tsconfig: path.join(root, 'apps', app, 'tsconfig.page.json'),
        logLevel: 'warning',
        legalComments: 'none',
      });
      for (const f of ['index.html', 'styles.css']) fs.copyFileSync(path.join(src, f), path.join(out, f));
    }),
);
// The fake agent ships beside the bundles: `iapeer demo` runs it as a manifest runtime.
fs.mkdirSync(path.join(root, 'dist', 'fake-agent'), { recursive: true });
fs.copyFileSync(path.join(root, 'libs', 'testing', 'fake-agent', 'agent.js'), path.join(root, 'dist', 'fake-agent', 'agent.js'));
// The scripts tmux runs for a session (the rotating pane-log writer, the pane-died exit
// record) ship beside the bundles, found by libs/tmux's findScriptsDir.
fs.mkdirSync(path.join(root, 'dist', 'tmux'), { recursive: true });
for (const f of fs.readdirSync(path.join(root, 'libs', 'tmux', 'scripts'))) fs.copyFileSync(path.join(root, 'libs', 'tmux', 'scripts', f), path.join(root, 'dist', 'tmux', f));
console.log(`built ${wanted.join(', ')} in ${Date.now() - t0} ms`);
