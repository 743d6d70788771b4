// Test-only preload (NODE_OPTIONS=--require <this file>): records every filesystem write a
// Node process of the sandbox makes, so the file-ownership e2e can attribute each file
// under the root to the process that wrote it. It wraps the write side of `fs` (sync,
// callback and promise forms), `net.Server#listen` on a path, and the tmux invocations
// that make tmux write a file for its caller (a server socket, a pipe-pane log).
// One NDJSON line per write to $IAPEER_FS_TRACE: {proc, pid, op, path}.
// Plain CommonJS so it loads without a build; it never changes what a call does.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const net = require('node:net');
const childProcess = require('node:child_process');

const TRACE = process.env.IAPEER_FS_TRACE;
if (TRACE) install(TRACE);

function install(traceFile) {
  const orig = {
    appendFileSync: fs.appendFileSync,
    existsSync: fs.existsSync,
    statSync: fs.statSync,
  };
  const proc = processName(process.argv);
  const exists = (p) => {
    try {
      return orig.existsSync.call(fs, p);
    } catch {
      return false;
    }
  };

  function toPath(p) {
    if (typeof p === 'string') return path.resolve(p);
    if (Buffer.isBuffer(p)) return path.resolve(p.toString());
    if (p instanceof URL && p.protocol === 'file:') return path.resolve(decodeURIComponent(p.pathname));
    return null; // a file descriptor: the open that made it was recorded
  }

  function record(op, p) {
    const abs = toPath(p);
    if (!abs || abs === traceFile) return;
    try {
      orig.appendFileSync.call(fs, traceFile, JSON.stringify({ proc, pid: process.pid, op, path: abs }) + '\n');
    } catch {
      // tracing must never change the traced program's behaviour
    }
  }

  const WRITE_FLAGS = fs.constants.O_WRONLY | fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_APPEND | fs.constants.O_TRUNC;
  const writesByFlags = (flags) => (typeof flags === 'number' ? (flags & WRITE_FLAGS) !== 0 : typeof flags === 'string' && /[wa+]/.test(flags));

  // the directories a mkdir will create: the target and every missing ancestor
  function missingDirs(p, recursive) {
    const abs = toPath(p);
    if (!abs) return [];
    if (!recursive) return exists(abs) ? [] : [abs];
    const out = [];
    for (let d = abs; !exists(d); d = path.dirname(d)) {
      out.unshift(d);
      if (path.dirname(d) === d) break;
    }
    return out;
  }

  /** Wraps fs[name] (and fs.promises[name] when `promises`): `before(args)` runs first and returns the records to make. */
  function wrap(name, before, { promises = true } = {}) {
    for (const target of promises ? [fs, fs.promises] : [fs]) {
      const fn = target[name];
      if (typeof fn !== 'function') continue;
      const wrapped = function (...args) {
        let recs = [];
        try {
          recs = before(args);
        } catch {
          recs = [];
        }
        for (const [op, p] of recs) record(op, p);
        return fn.apply(this, args);
      };
      Object.defineProperty(wrapped, 'name', { value: name });
      target[name] = wrapped;
    }
  }

  for (const name of ['writeFile', 'writeFileSync']) wrap(name, ([p]) => [['write', p]]);
  for (const name of ['appendFile', 'appendFileSync']) wrap(name, ([p]) => [['append', p]]);
  for (const name of ['open', 'openSync']) wrap(name, ([p, flags]) => (writesByFlags(flags) ? [['open-w', p]] : []));
  for (const name of ['mkdir', 'mkdirSync']) wrap(name, ([p, o]) => missingDirs(p, Boolean(o && typeof o === 'object' && o.recursive)).map((d) => ['mkdir', d]));
  for (const name of ['rename', 'renameSync']) wrap(name, ([from, to]) => [['rename-from', from], ['rename', to]]);
  for (const name of ['unlink', 'unlinkSync', 'rm', 'rmSync', 'rmdir', 'rmdirSync']) wrap(name, ([p]) => (exists(toPath(p) ?? '') ? [['remove', p]] : []));
  for (const name of ['copyFile', 'copyFileSync', 'cp', 'cpSync']) wrap(name, ([, to]) => [['copy', to]]);
  for (const name of ['symlink', 'symlinkSync', 'link', 'linkSync']) wrap(name, ([, to]) => [['link', to]]);
  for (const name of ['chmod', 'chmodSync', 'truncate', 'truncateSync', 'utimes', 'utimesSync']) wrap(name, ([p]) => [[name.replace(/Sync$/, ''), p]]);
  const streamFn = fs.createWriteStream;
  fs.createWriteStream = function (p, ...rest) {
    record('open-w', p);
    return streamFn.call(this, p, ...rest);
  };

  const listen = net.Server.prototype.listen;
  net.Server.prototype.listen = function (...args) {
    const a = args[0];
    const p = typeof a === 'string' ? a : a && typeof a === 'object' && typeof a.path === 'string' ? a.path : null;
    if (p) record('listen', p);
    return listen.apply(this, args);
  };

  // tmux writes two kinds of files for the process that asks: the server socket (when a
  // command starts a server) and a pipe-pane target (`cat >> '<file>'`, or the rotating
  // writer `exec /bin/sh '<...>/pane-log-writer.sh' '<file>' <max> <keep>`, in the server)
  function tmuxRecords(file, args) {
    if (path.basename(String(file)) !== 'tmux' || !Array.isArray(args)) return [];
    const s = args.indexOf('-S');
    const socket = s >= 0 ? args[s + 1] : null;
    const recs = [];
    if (socket && (args.includes('new-session') || args.includes('start-server')) && !exists(socket)) recs.push(['tmux-server', socket]);
    for (const a of args) {
      const m = typeof a === 'string' ? /^cat >> '((?:[^']|'\\'')*)'$/.exec(a) || /pane-log-writer\.sh' '((?:[^']|'\\'')*)' \d+ \d+$/.exec(a) : null;
      if (m) recs.push(['pipe-pane', m[1].replace(/'\\''/g, "'")]);
    }
    return recs;
  }
  for (const name of ['execFile', 'execFileSync', 'spawn', 'spawnSync']) {
    const fn = childProcess[name];
    childProcess[name] = function (file, args, ...rest) {
      for (const [op, p] of tmuxRecords(file, args)) record(op, p);
      return fn.call(this, file, args, ...rest);
    };
  }
}

/** The writer's name from its argv: a service bundle, the CLI (and its keeper), the fake agent, a script a tmux server runs. */
function processName(argv) {
  const script = String(argv[1] || '');
  const svc = /[\\/]dist[\\/]apps[\\/]([a-z]+)[\\/]main\.js$/.exec(script);
  if (svc) return svc[1];
  if (/[\\/]bin[\\/]iapeer$/.test(script)) return 'cli';
  if (/[\\/]fake-agent[\\/]agent\.js$/.test(script)) return 'agent';
  if (/[\\/]exit-record\.cjs$/.test(script)) return 'tmux';
  return `node:${path.basename(script) || '?'}`;
}
