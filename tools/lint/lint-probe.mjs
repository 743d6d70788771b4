#!/usr/bin/env node
// Lints source texts as if they sat at given paths of the workspace (so each gets its
// project's tags), with the workspace's own eslint.config.mjs, and writes the messages
// as JSON. A separate process because ESLint loads its flat config as an ES module.
// Usage: node tools/lint/lint-probe.mjs <cases.json> <out.json>
//   cases.json: [{ "filePath": "libs/tmux/src/x.ts", "code": "..." }, ...]
//   out.json:   { "arrows": LIB_ARROWS, "results": [[{ ruleId, message, line }], ...] }
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const [casesFile, outFile] = process.argv.slice(2);
process.chdir(root);
process.env.NX_DAEMON = 'false';
process.env.NX_NO_CLOUD = 'true';

// @nx/enforce-module-boundaries reads the cached project graph; make sure it is current
const { createProjectGraphAsync } = await import('@nx/devkit');
await createProjectGraphAsync({ exitOnError: false });

const { ESLint } = await import('eslint');
const { LIB_ARROWS } = await import(pathToFileURL(path.join(root, 'eslint.config.mjs')).href);
const eslint = new ESLint({ cwd: root });
const cases = JSON.parse(fs.readFileSync(casesFile, 'utf8'));
const results = [];
for (const c of cases) {
  const [r] = await eslint.lintText(c.code, { filePath: path.join(root, c.filePath) });
  results.push(r.messages.map((m) => ({ ruleId: m.ruleId, message: m.message, line: m.line })));
}
fs.writeFileSync(outFile, JSON.stringify({ arrows: LIB_ARROWS, results }, null, 2));
