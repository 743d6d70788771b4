#!/usr/bin/env node
// The pipe-pane target of every session: `pipe-pane 'exec node pane-log-writer.cjs <file> <max> <keep>'`.
// Copies the pane's byte stream from stdin into <file> and rotates it by size, so a pane
// log never grows past <max> bytes and at most <keep> rotated files stay beside it
// (<file>.1 newest … <file>.<keep> oldest): the same scheme as logd's logs. A `cat >>`
// could not be rotated from outside without losing bytes (it holds its own O_APPEND fd);
// this process owns its fd and reopens the file itself, between two writes.
// Plain CommonJS, no dependencies: tmux runs it as is from dist/tmux/.
// It never stops reading: a failed write drops that chunk (and retries the file on the
// next one), so a full disk never stalls tmux or the agent behind the pipe.
'use strict';
const fs = require('node:fs');

const [file, maxArg, keepArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: pane-log-writer.cjs <file> <maxBytes> <keep>\n');
  process.exit(2);
}
const max = Math.max(1, Number.parseInt(maxArg, 10) || 10 * 1024 * 1024);
const keep = Math.max(0, Number.parseInt(keepArg, 10) || 0);

let fd = null;
let size = 0;

function open() {
  fd = fs.openSync(file, 'a', 0o600);
  size = fs.fstatSync(fd).size;
}

function close() {
  if (fd === null) return;
  try {
    fs.closeSync(fd);
  } catch {
    // already gone: nothing to flush (writeSync does not buffer)
  }
  fd = null;
}

/** base → .1 → … → .keep (the oldest is dropped); keep 0 starts the base over. */
function rotate() {
  close();
  if (keep === 0) {
    fs.truncateSync(file, 0);
  } else {
    fs.rmSync(`${file}.${keep}`, { force: true });
    for (let i = keep - 1; i >= 1; i--) {
      try {
        fs.renameSync(`${file}.${i}`, `${file}.${i + 1}`);
      } catch (err) {
        if (err.code !== 'ENOENT') throw err;
      }
    }
    fs.renameSync(file, `${file}.1`);
  }
  open();
}

function write(chunk) {
  let off = 0;
  while (off < chunk.length) {
    if (fd === null) open();
    if (size >= max) rotate();
    const n = fs.writeSync(fd, chunk, off, Math.min(chunk.length - off, max - size));
    off += n;
    size += n;
  }
}

process.stdin.on('data', (chunk) => {
  try {
    write(chunk);
  } catch {
    close(); // reopened (and resized) on the next chunk
  }
});
process.stdin.on('end', close);
process.stdin.on('error', close);
