#!/usr/bin/env node
// prepublishOnly: refuse to publish from a dirty working tree (what is published must be a commit).
import { execFileSync } from 'node:child_process';
let status;
try {
  status = execFileSync('git', ['status', '--porcelain'], { encoding: 'utf8' });
} catch (err) {
  console.error(`prepublishOnly: cannot run \`git status\` (${err.message}); publish from a git checkout`);
  process.exit(1);
}
if (status.trim()) {
  console.error('prepublishOnly: refusing to publish: the working tree has uncommitted changes:');
  console.error(status.trimEnd());
  console.error('commit or stash them, then run `npm run release` again');
  process.exit(1);
}
