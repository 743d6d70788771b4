import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { makeSandbox, REPO_ROOT, TestStack, waitFor, type Sandbox } from '@iapeer/testing';

const CLIENTS = 4;
const PER_CLIENT = 250; // 1,000 upserts in the burst
const KILL_AFTER_ACKS = 150;

// SIGKILL the registry in the middle of a burst of 1,000 upserts from several client
// processes; after a restart the file must be valid JSON holding every acknowledged upsert.
describe('registry crash safety', () => {
  let sb: Sandbox;
  let stack: TestStack;
  let clientJs: string;

  beforeAll(async () => {
    sb = makeSandbox();
    clientJs = path.join(sb.dir, 'upsert-client.js');
    buildSync({
      entryPoints: [path.join(__dirname, 'fixtures', 'upsert-client.ts')],
      outfile: clientJs,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      tsconfig: path.join(REPO_ROOT, 'tsconfig.base.json'),
      logLevel: 'warning',
    });
    stack = new TestStack(sb);
    await stack.start(['registry']);
  });
  afterAll(async () => {
    await stack.stop();
    sb.cleanup();
  });

  it('keeps every acknowledged upsert across a SIGKILL mid-burst', async () => {
    const acked = new Set<string>();
    const failed: string[] = [];
    let killed: Promise<void> | undefined;
    let acksAtKill = -1;
    const killedRegistryPid = stack.children.get('registry')!.pid!;
    const socket = sb.paths.serviceSocket('registry');
    const clients: ChildProcess[] = [];
    const exits: Promise<unknown>[] = [];
    for (let c = 0; c < CLIENTS; c++) {
      const child = spawn(process.execPath, [clientJs, socket, `c${c}`, String(PER_CLIENT), '4'], { env: sb.env, stdio: ['ignore', 'pipe', 'inherit'] });
      let buf = '';
      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        buf += chunk;
        const lines = buf.split('\n');
        buf = lines.pop()!;
        for (const line of lines) {
          const [kind, name] = line.split(' ');
          if (kind === 'ack') acked.add(name);
          else failed.push(name);
        }
        // the kill is driven by the acks themselves: no polling, no sleeping
        if (!killed && acked.size >= KILL_AFTER_ACKS) {
          acksAtKill = acked.size;
          killed = stack.kill('registry', 'SIGKILL');
        }
      });
      exits.push(new Promise((r) => child.once('exit', r)));
      clients.push(child);
    }
    await Promise.all(exits);
    expect(killed).toBeDefined();
    await killed;
    // it really was the middle of the burst: some upserts were never acknowledged
    expect(acksAtKill).toBeLessThan(CLIENTS * PER_CLIENT);
    expect(failed.length).toBeGreaterThan(0);
    expect(acked.size + failed.length).toBe(CLIENTS * PER_CLIENT);

    const text = fs.readFileSync(sb.paths.peersFile, 'utf8');
    const file = JSON.parse(text); // valid JSON, never torn
    expect(file.version).toBe(2);
    const onDisk = new Set(file.peers.map((p: { personality: string }) => p.personality));
    const lost = [...acked].filter((n) => !onDisk.has(n));
    expect(lost).toEqual([]);
    // a kill between the temp file and the rename may leave that temp file: only the killed writer's
    // (the registry file's or its previous generation's: `.peers-profiles.json[.prev].<pid>.<uuid>.tmp`)
    for (const f of fs.readdirSync(sb.root).filter((f) => f.endsWith('.tmp'))) expect([f, /^\.peers-profiles\.json(?:\.prev)?\.(\d+)\./.exec(f)?.[1]]).toEqual([f, String(killedRegistryPid)]);

    // a restarted registry sweeps such leftovers, reads the same file and writes again (a
    // lock left by the killed process is reclaimed once it is stale)
    stack.spawn('registry');
    await stack.waitHealthy('registry');
    expect(fs.readdirSync(sb.root).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const { client } = stack.client('registry', 3000);
    expect((await client.list.query()).peers.length).toBe(onDisk.size);
    const after = await waitFor(
      () => client.upsert.mutate({ personality: 'after-crash', runtime: 'claude', cwd: '/nonexistent/after-crash' }).then((r) => r.created),
      'an upsert to land after the restart',
      25_000,
      100,
    );
    expect(after).toBe(true);
    expect(JSON.parse(fs.readFileSync(sb.paths.peersFile, 'utf8')).peers).toHaveLength(onDisk.size + 1);
  }, 60_000);
});
