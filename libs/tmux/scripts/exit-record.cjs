#!/usr/bin/env node
// Run by a session's tmux server from its pane-died hook (docs/behaviour.md §7.8, exits.log):
//   run-shell -b "<node> exit-record.cjs --spool=<file> --identity=<id> --socket=<sock> --tmux=<bin>
//                 --status=#{pane_dead_status} --signal=#{pane_dead_signal} --pane=#{pane_id}"
// Appends ONE JSON line per death to the spool file (`logs/lifecycle/<identity>.exits`):
// {at, identity, status, signal, tail}. The supervisor ships each line to logd's exits.log and
// removes it (logd stays the only writer of logs/iapeer/). The tail is the last non-empty
// rows of the dead pane, asked of the server that is running this hook.
// Plain CommonJS, no dependencies: tmux runs it as is from dist/tmux/.
'use strict';
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');

const TAIL_ROWS = 8;
const TAIL_CHARS = 1000;

// the supervisor's kill-server right after a death sends its jobs SIGTERM/SIGHUP: the
// record still gets written (with whatever tail could be had)
process.on('SIGTERM', () => undefined);
process.on('SIGHUP', () => undefined);

const arg = (name) => {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a === undefined ? '' : a.slice(name.length + 3);
};
const num = (s) => (/^\d+$/.test(s) ? Number(s) : null);

function tail() {
  try {
    const screen = execFileSync(arg('tmux') || 'tmux', ['-u', '-f', '/dev/null', '-S', arg('socket'), 'capture-pane', '-p', '-J', '-t', arg('pane'), '-S', '-200'], {
      encoding: 'utf8',
      timeout: 2000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    // tmux's own "Pane is dead" banner says nothing the status fields do not
    const rows = screen.split('\n').map((r) => r.trimEnd()).filter((r) => r !== '' && !/^Pane is dead/.test(r));
    const text = rows.slice(-TAIL_ROWS).join('\n');
    return { tail: text.length > TAIL_CHARS ? text.slice(-TAIL_CHARS) : text };
  } catch (err) {
    return { tail: '', tail_error: String((err && err.message) || err).split('\n')[0] };
  }
}

const record = {
  at: new Date().toISOString(),
  identity: arg('identity'),
  status: num(arg('status')),
  signal: num(arg('signal')),
  ...tail(),
};
try {
  fs.appendFileSync(arg('spool'), JSON.stringify(record) + '\n', { mode: 0o600 });
} catch (err) {
  process.stderr.write(`exit-record: cannot append to ${arg('spool')}: ${err.message}\n`);
  process.exit(1);
}
