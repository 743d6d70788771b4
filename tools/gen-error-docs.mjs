#!/usr/bin/env node
// Regenerates docs/errors.md from libs/core/src/error-codes.ts (run after adding a code;
// libs/core/src/error-codes.spec.ts fails until you do).
import fs from 'node:fs';
import { buildSync } from 'esbuild';
const out = buildSync({ entryPoints: ['libs/core/src/error-codes.ts'], bundle: true, write: false, format: 'cjs', platform: 'node' });
const mod = { exports: {} };
new Function('module', 'exports', out.outputFiles[0].text)(mod, mod.exports);
const { ERROR_CODES } = mod.exports;
const rows = Object.entries(ERROR_CODES).map(([code, e]) => `| \`${code}\` | ${e.wire} | ${e.description} | ${e.solve} |`);
fs.writeFileSync('docs/errors.md', `# Error codes\n\nEvery iapeer error carries one of these codes (\`err.code\` locally, \`data.iapeerCode\` over a socket).\nBranch on the code, never on the message. Codes are never reused once retired.\nGenerated from \`libs/core/src/error-codes.ts\` by \`node tools/gen-error-docs.mjs\`.\n\n| code | wire (tRPC) | description | how to solve |\n|---|---|---|---|\n${rows.join('\n')}\n`);
console.log(`docs/errors.md: ${rows.length} codes`);
