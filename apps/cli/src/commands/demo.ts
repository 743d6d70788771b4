import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { resolvePaths } from '@iapeer/core';
import { CliError } from '../cli-error';
import type { CliIO } from '../io';
import { DEMO_RUNTIME, installDemoRuntime } from '../demo/demo-runtime';
import { probeAll } from '../up/health-probe';

const REPLY_TIMEOUT_MS = 60_000;

interface DemoOptions {
  runtime?: string;
}

/**
 * `iapeer demo`: two peers on the shipped fake agent, a message from alice to bob that
 * wakes bob, bob's reply waking alice, then `iapeer list`, the lifecycle log and how to
 * attach. Every step is the real CLI verb, run as a child, so the demo shows what a user
 * would type.
 */
export function registerDemo(program: Command, io: CliIO): void {
  program
    .command('demo')
    .description('create two peers on a built-in fake agent, send a message between them and show what happened')
    .option('--runtime <runtime>', `use a real agent runtime (claude or codex on PATH) instead of the fake agent "${DEMO_RUNTIME}"`)
    .action(async (opts: DemoOptions) => {
      const paths = resolvePaths(io.env);
      const cliMain = process.argv[1];
      const env: NodeJS.ProcessEnv = { ...io.env, IAPEER_ROOT: paths.root };
      const run = (args: string[]) => {
        io.out(`$ iapeer ${args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}`);
        const r = spawnSync(process.execPath, [cliMain, ...args], { env, encoding: 'utf8' });
        for (const line of `${r.stdout}${r.stderr}`.trimEnd().split('\n')) if (line) io.out(`  ${line}`);
        if (r.status !== 0) throw new CliError(`\`iapeer ${args[0]}\` failed (exit ${r.status}); see the output above`);
        return r.stdout;
      };

      const down = (await probeAll(paths, 300)).filter((s) => !s.up);
      if (down.length > 0) throw new CliError(`${down.map((d) => d.name).join(', ')} not running on ${paths.root}; start the services with \`iapeer up\` first`);

      const runtime = opts.runtime ?? DEMO_RUNTIME;
      if (runtime === DEMO_RUNTIME) {
        io.out(`1. the runtime: a scripted fake agent (no model needed), declared in ${installDemoRuntime(paths, cliMain)}`);
      } else {
        if (!onPath(runtime, env.PATH)) throw new CliError(`--runtime ${runtime} needs \`${runtime}\` on PATH; install it, or run \`iapeer demo\` without --runtime`);
        io.out(`1. the runtime: ${runtime} (a real agent; it needs model access to answer)`);
      }

      io.out('\n2. two peers, each in its own folder');
      run(['create', 'alice', '--runtime', runtime, '--description', 'demo peer that starts the conversation']);
      run(['create', 'bob', '--runtime', runtime, '--description', 'demo peer that answers']);

      const aliceCwd = path.join(paths.peersDir, 'alice');
      const seenBefore = transcriptLines(aliceCwd).length;
      io.out('\n3. alice sends bob a message; bob is asleep, so the router asks the supervisor to wake him first');
      run(['send', 'bob', '--from', `${runtime}-alice`, '--topic', 'demo', '--message', 'Hi Bob, this is Alice. Are you awake?']);

      if (runtime === DEMO_RUNTIME) {
        io.out('\n4. bob answers through `iapeer send`, which wakes alice in turn');
        const reply = await waitForReply(aliceCwd, seenBefore, REPLY_TIMEOUT_MS);
        if (!reply) throw new CliError(`no reply reached alice within ${REPLY_TIMEOUT_MS / 1000}s; look at \`iapeer logs delivery\` and ${path.join(paths.paneLogDir, `${runtime}-bob.log`)}`);
        io.out(`  alice received: ${reply}`);
      } else {
        io.out('\n4. bob has the message in his input; with model access he would answer with send_to_peer');
      }

      io.out('\n5. the fleet now');
      run(['list']);
      io.out('\n6. every lifecycle decision is logged');
      run(['logs', 'lifecycle', '-n', '8']);
      io.out('\n7. and every send, without its body');
      run(['logs', 'delivery', '-n', '4']);

      io.out(`\nattach to bob's session: iapeer attach bob   (detach: Ctrl-b d)`);
      io.out('put both to sleep:       iapeer stop --all     stop the services: iapeer down');
    });
}

function transcriptLines(cwd: string): string[] {
  const file = path.join(cwd, 'transcript.jsonl');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
}

/** The reply the fake agent wrote into alice's transcript after line `skip` (the envelope's message body). */
async function waitForReply(cwd: string, skip: number, timeoutMs: number): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const line of transcriptLines(cwd).slice(skip)) {
      const rec = JSON.parse(line) as { type: string; text?: string };
      const body = rec.type === 'message' ? /<message><!\[CDATA\[(Re: [\s\S]*?)\]\]><\/message>/.exec(rec.text ?? '') : null;
      if (body) return body[1];
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}

function onPath(bin: string, pathVar = ''): boolean {
  return pathVar.split(path.delimiter).some((dir) => dir && fs.existsSync(path.join(dir, bin)));
}
