#!/usr/bin/env node
// The fake agent: a tiny deterministic TUI that behaves like Claude Code / Codex as far as
// iapeer can tell from tmux, so every launch and delivery path is testable without a model.
//
// - a banner, then a prompt row "❯ <input>" (the prompt glyph first on its row);
// - raw-mode stdin, bracketed paste (ESC[200~ … ESC[201~) shown in the input row as the
//   text itself (short, single-line) or "[Pasted text #k +L lines]";
// - Enter submits: the message is appended as one JSON line to ./transcript.jsonl
//   (the activity signal) and the input row clears;
// - "/compact" submitted → a {"type":"compact"} record and "Conversation compacted";
// - Escape → an {"type":"interrupt"} record and "Interrupted";
// - --resume → prints "Resumed N messages from transcript.jsonl" and records it.
//
// Misbehaviour by env (all optional):
//   FAKE_AGENT_DIALOG=1         show a trust dialog at boot; Enter answers it
//   FAKE_AGENT_BOOT_DELAY_MS=N  show the prompt only after N ms (slow boot)
//   FAKE_AGENT_NEVER_READY=1    never show the prompt
//   FAKE_AGENT_CRASH_AFTER=N    exit with status 3 right after the N-th submitted message
//   FAKE_AGENT_SWALLOW_ENTER=1  ignore Enter (the input is never submitted)
//   FAKE_AGENT_BUSY_MS=N        after each submitted message, work (busy) for N ms
//   FAKE_AGENT_TRANSCRIPT=name  transcript file name in cwd (default transcript.jsonl)
// A message can also ask (tests), a moment after it was submitted, so its delivery confirms first:
//   FAKE:flood=N     print N bytes of output (100-byte rows), then {"type":"flood","bytes":N}
//   FAKE:exit=N      exit with status N
//   FAKE:signal=SIG  kill itself with SIG (e.g. KILL, TERM)
//   FAKE_AGENT_REPLY_CMD=json   a JSON argv prefix (e.g. ["node","/x/bin/iapeer","send"]): on an
//                               IAP envelope it replies to the sender with
//                               `<prefix> <sender> --from $PEER_IDENTITY --message "Re: …" [--topic t]`;
//                               it never answers a message that is itself a reply ("Re: …");
//                               the argument --reply-cmd=<json> does the same from a manifest
//   FAKE_AGENT_SHOW_ENV=A,B      at start, write ./fake-agent-start.json {argv, env: {A, B}} (what
//                               the session was started with: launch.env and PEER_START_ARGS tests)
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { StringDecoder } = require('node:string_decoder');

const GLYPH = '❯';
const env = process.env;
const transcript = path.join(process.cwd(), env.FAKE_AGENT_TRANSCRIPT || 'transcript.jsonl');
const resume = process.argv.includes('--resume');
const crashAfter = Number.parseInt(env.FAKE_AGENT_CRASH_AFTER || '0', 10) || 0;
const swallowEnter = env.FAKE_AGENT_SWALLOW_ENTER === '1';
const PASTE_START = '\x1b[200~';
const PASTE_END = '\x1b[201~';

/** 'dialog' → 'booting' → 'ready'; input is dropped until 'ready', as a real TUI loading would. */
let phase = env.FAKE_AGENT_DIALOG === '1' ? 'dialog' : 'booting';
let input = '';
let pasteCount = 0;
let submitted = 0;
let pending = '';
let inPaste = false;
let pasteBody = '';
let escTimer = null;
/** Busy: the "esc to interrupt" line is on screen; asking: an approval dialog waits for Enter. */
let busyTimer = null;
let asking = false;
const busyDefaultMs = Number.parseInt(env.FAKE_AGENT_BUSY_MS || '0', 10) || 0;

const out = (s) => process.stdout.write(s);
const record = (obj) => fs.appendFileSync(transcript, JSON.stringify(obj) + '\n');

function countMessages() {
  try {
    return fs.readFileSync(transcript, 'utf8').split('\n').filter((l) => l.includes('"type":"message"')).length;
  } catch {
    return 0; // no transcript yet: nothing to resume
  }
}

function displayInput() {
  // Short single-line input shows as itself; anything else as Claude Code shows a paste.
  if (input.length <= 120 && !/[\u0000-\u001f]/.test(input)) return input;
  const lines = input.split('\n').length;
  return `[Pasted text #${pasteCount} +${lines} lines]`;
}

function renderPrompt() {
  out(`\r\x1b[2K${GLYPH} ${displayInput()}`);
}

function showDialog() {
  out(' Do you trust the files in this folder?\r\n');
  out(` ${process.cwd()}\r\n\r\n`);
  out(` ${GLYPH} 1. Yes, proceed\r\n   2. No, exit\r\n\r\n Enter to confirm · Esc to exit\r\n`);
}

function showBanner() {
  out('✻ Fake agent (iapeer test double)\r\n');
  out(`  cwd: ${process.cwd()}\r\n`);
  out(`  identity: ${env.PEER_IDENTITY || '(none)'}\r\n`);
  if (resume) {
    const n = countMessages();
    record({ type: 'resume', count: n });
    out(`  Resumed ${n} messages from ${path.basename(transcript)}\r\n`);
  }
  out('\r\n');
  if (env.FAKE_AGENT_NEVER_READY === '1') {
    out('  Loading…');
    return;
  }
  const delay = Number.parseInt(env.FAKE_AGENT_BOOT_DELAY_MS || '0', 10) || 0;
  if (delay > 0) out('  Loading…\r\n');
  setTimeout(() => {
    phase = 'ready';
    renderPrompt();
  }, delay);
}

function answerDialog() {
  out('\x1b[2J\x1b[3J\x1b[H');
  phase = 'booting';
  showBanner();
}

function submit() {
  if (input.length === 0) return renderPrompt();
  const text = input;
  input = '';
  if (text.trim() === '/compact') {
    record({ type: 'compact' });
    out(`\r\x1b[2K  ⎿ ✻ Conversation compacted\r\n`);
    return renderPrompt();
  }
  submitted += 1;
  record({ type: 'message', text });
  maybeReply(text);
  out(`\r\x1b[2K  ⎿ received message ${submitted} (${text.length} chars)\r\n`);
  // a message can ask for a state (tests): FAKE:dialog, FAKE:busy[=ms] (no ms: until Escape)
  const busy = /FAKE:busy(?:=(\d+))?/.exec(text);
  // the dialog comes a moment after the submit (the agent asks mid-turn), as a real one does
  if (/FAKE:dialog/.test(text)) {
    renderPrompt();
    setTimeout(showApproval, 300);
  }
  else if (busy) startBusy(busy[1] === undefined ? 0 : Number(busy[1]));
  else if (busyDefaultMs > 0) startBusy(busyDefaultMs);
  else renderPrompt();
  askedToEnd(text);
  if (crashAfter > 0 && submitted >= crashAfter) {
    out('\r\n  fake agent: crashing as told (FAKE_AGENT_CRASH_AFTER)\r\n');
    process.exit(3);
  }
}

const ASKED_DELAY_MS = 300;

/** FAKE:flood=N, FAKE:exit=N, FAKE:signal=SIG (see the header). */
function askedToEnd(text) {
  const flood = /FAKE:flood=(\d+)/.exec(text);
  const exit = /FAKE:exit=(\d+)/.exec(text);
  const signal = /FAKE:signal=([A-Z0-9]+)/.exec(text);
  if (flood) setTimeout(() => floodOutput(Number(flood[1])), ASKED_DELAY_MS);
  if (exit) {
    setTimeout(() => {
      out(`\r\n  fake agent: exiting with status ${exit[1]} as told\r\n`);
      process.exit(Number(exit[1]));
    }, ASKED_DELAY_MS);
  }
  if (signal) {
    setTimeout(() => {
      out(`\r\n  fake agent: killing itself with SIG${signal[1]} as told\r\n`);
      process.kill(process.pid, `SIG${signal[1]}`);
    }, ASKED_DELAY_MS);
  }
}

/** N bytes of rows through the terminal (a TTY write is synchronous: tmux takes them all), then the prompt. */
function floodOutput(bytes) {
  const row = `flood ${'x'.repeat(92)}\r\n`; // 100 bytes
  const chunk = row.repeat(640);
  for (let left = bytes; left > 0; left -= chunk.length) out(left >= chunk.length ? chunk : chunk.slice(0, left));
  out(`\r\n  ⎿ flood of ${bytes} bytes done\r\n`);
  record({ type: 'flood', bytes });
  renderPrompt();
}

/** `--reply-cmd=<json>` on the command line (a manifest's args) wins over the env switch. */
function replyCmdArg() {
  const arg = process.argv.find((a) => a.startsWith('--reply-cmd='));
  return arg ? arg.slice('--reply-cmd='.length) : undefined;
}

/** The demo's conversation partner: answer an IAP envelope through the CLI. */
function maybeReply(text) {
  const replyCmd = replyCmdArg() ?? env.FAKE_AGENT_REPLY_CMD;
  if (!replyCmd) return;
  const from = /<iap [^>]*from-personality="([^"]+)"/.exec(text);
  const body = /<message><!\[CDATA\[([\s\S]*?)\]\]><\/message>/.exec(text);
  if (!from || !body || body[1].startsWith('Re: ')) return;
  const topic = /<iap [^>]*topic="([^"]+)"/.exec(text);
  const me = env.PEER_PERSONALITY || 'fake';
  const reply = `Re: hello ${from[1]}, ${me} here. I read your message (${body[1].length} chars): "${body[1].slice(0, 60)}"`;
  let argv;
  try {
    argv = JSON.parse(replyCmd);
  } catch {
    record({ type: 'reply', to: from[1], ok: false, error: 'FAKE_AGENT_REPLY_CMD is not a JSON array' });
    return;
  }
  const args = [...argv.slice(1), from[1], '--from', env.PEER_IDENTITY || '', '--message', reply, ...(topic ? ['--topic', topic[1]] : [])];
  const child = require('node:child_process').spawn(argv[0], args, { stdio: 'ignore', detached: true });
  child.on('exit', (code) => record({ type: 'reply', to: from[1], ok: code === 0, code }));
  child.on('error', (err) => record({ type: 'reply', to: from[1], ok: false, error: err.message }));
  child.unref();
}

/** Working: a status line like Claude Code's, above the input row, until `ms` pass (0: until Escape). */
function startBusy(ms) {
  out('\r\x1b[2K  ✻ Working… (esc to interrupt)\r\n');
  renderPrompt();
  if (busyTimer) clearTimeout(busyTimer);
  busyTimer = ms > 0 ? setTimeout(endBusy, ms) : setTimeout(() => undefined, 2 ** 31 - 1);
}

function endBusy(interrupted) {
  if (!busyTimer) return;
  clearTimeout(busyTimer);
  busyTimer = null;
  // erase the working line (the row above the input row) and say how the turn ended
  out(`\r\x1b[2K\x1b[1A\r\x1b[2K  ⎿ ${interrupted ? 'work interrupted' : 'done working'}\r\n`);
  renderPrompt();
}

/** An approval dialog in place of the input row (what a paste would answer); Enter answers it. */
function showApproval() {
  asking = true;
  out('\r\x1b[2K Do you want to proceed?\r\n ❯ 1. Yes\r\n   2. No\r\n');
}

function answerApproval(how) {
  asking = false;
  record({ type: 'dialog-answered', how });
  // erase the 3 dialog rows, then the input row again
  out(`\x1b[3A\r\x1b[J  ⎿ dialog answered (${how})\r\n`);
  renderPrompt();
}

function interrupt() {
  if (asking) return answerApproval('escape');
  if (busyTimer) {
    record({ type: 'interrupt' });
    return endBusy(true);
  }
  record({ type: 'interrupt' });
  input = '';
  out(`\r\x1b[2K  ⎿ Interrupted\r\n`);
  renderPrompt();
}

function onKey(key) {
  if (phase === 'dialog') {
    if (key === '\r') answerDialog();
    return;
  }
  if (phase !== 'ready') return;
  if (asking && key !== '\x1b') {
    // a dialog takes the key as its answer, as a real one does: nothing reaches the input row
    if (key === '\r') answerApproval('enter');
    return;
  }
  if (key === '\r') {
    if (!swallowEnter) submit();
    return;
  }
  if (key === '\x1b') return interrupt();
  if (key === '\x03') process.exit(0);
  if (key === '\x7f' || key === '\b') input = input.slice(0, -1);
  else if (key === '\n') input += '\n';
  else if (key.length === 1 && key >= ' ') input += key;
  else if (key.length > 1 && !key.startsWith('\x1b')) input += key;
  renderPrompt();
}

function onPaste(body) {
  if (phase !== 'ready') return;
  if (asking) {
    // a paste into a dialog answers it with whatever the text selects: what iapeer must avoid
    record({ type: 'dialog-paste', text: body });
    return answerApproval('paste');
  }
  pasteCount += 1;
  input += body.replace(/\r\n?/g, '\n');
  renderPrompt();
}

/** Splits the byte stream into keys and paste bodies; a lone ESC is Escape after a short pause. */
function consume() {
  if (escTimer) {
    clearTimeout(escTimer);
    escTimer = null;
  }
  for (;;) {
    if (inPaste) {
      const end = pending.indexOf(PASTE_END);
      if (end < 0) {
        // Keep a tail that may be the start of the end marker split across reads.
        const keep = Math.min(pending.length, PASTE_END.length - 1);
        pasteBody += pending.slice(0, pending.length - keep);
        pending = pending.slice(pending.length - keep);
        return;
      }
      pasteBody += pending.slice(0, end);
      pending = pending.slice(end + PASTE_END.length);
      inPaste = false;
      const body = pasteBody;
      pasteBody = '';
      onPaste(body);
      continue;
    }
    if (pending.length === 0) return;
    if (pending.startsWith('\x1b')) {
      if (pending.startsWith(PASTE_START)) {
        pending = pending.slice(PASTE_START.length);
        inPaste = true;
        continue;
      }
      if (pending.length === 1 || PASTE_START.startsWith(pending)) {
        // Maybe the start of a sequence split across reads; a real lone Escape stays alone.
        escTimer = setTimeout(() => {
          escTimer = null;
          if (pending === '\x1b') {
            pending = '';
            onKey('\x1b');
          }
        }, 30);
        return;
      }
      const seq = /^\x1b(\[[0-9;?]*[ -/]*[@-~]|O.|.)/s.exec(pending);
      pending = pending.slice(seq ? seq[0].length : 1);
      continue; // arrows and other sequences: ignored
    }
    const ch = String.fromCodePoint(pending.codePointAt(0));
    pending = pending.slice(ch.length);
    onKey(ch);
  }
}

const decoder = new StringDecoder('utf8');
if (process.stdin.isTTY) process.stdin.setRawMode(true);
process.stdin.on('data', (chunk) => {
  pending += decoder.write(chunk);
  consume();
});
process.stdin.resume();
if (env.FAKE_AGENT_SHOW_ENV) {
  // a file of its own, not the transcript: the transcript's mtime is the activity signal
  const shown = {};
  for (const name of env.FAKE_AGENT_SHOW_ENV.split(',')) if (name) shown[name] = env[name] ?? null;
  fs.writeFileSync(path.join(process.cwd(), 'fake-agent-start.json'), JSON.stringify({ argv: process.argv.slice(2), env: shown }) + '\n');
}
out('\x1b[?2004h'); // ask the terminal (tmux) for bracketed paste
if (phase === 'dialog') showDialog();
else showBanner();
