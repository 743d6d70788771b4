import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { makeSandbox, runCli, TestStack, type Sandbox } from '@iapeer/testing';

// docs/behaviour.md §4.5: a rebuild of a damaged registry file loses nothing. Six peers
// (four in folders outside <root>/peers/, two inside), two more created then removed; the
// registry file is cut at a random offset while the stack runs (sometimes the registry is
// also SIGKILLed and restarted, so its memory is gone too), then `iapeer verify --fix`:
// every live peer comes back, with its folder, and a removed one never does.
describe('registry rebuild after a truncation (real services, the CLI, fast-check)', () => {
  let sb: Sandbox;
  let stack: TestStack;
  const live = new Map<string, string>(); // personality -> folder
  const removed = ['gone-out', 'gone-in'];

  const cli = async (args: string[], cwd?: string) => {
    const r = await runCli(args, sb.env, { cwd });
    if (r.code !== 0) throw new Error(`iapeer ${args.join(' ')} exited ${r.code}: ${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  const listed = async () => new Map(((JSON.parse(await cli(['list', '--json'])) as { personality: string; cwd: string }[]).map((p) => [p.personality, p.cwd])));

  beforeAll(async () => {
    sb = makeSandbox();
    stack = new TestStack(sb);
    await stack.start();
    for (const name of ['out-a', 'out-b', 'out-c', 'out-d', 'gone-out']) {
      const dir = path.join(sb.dir, 'work', name);
      fs.mkdirSync(dir, { recursive: true });
      await cli(['init', '--runtime', 'claude'], dir);
      if (name !== 'gone-out') live.set(name, dir);
    }
    for (const name of ['in-a', 'in-b', 'gone-in']) {
      await cli(['create', name]);
      if (name !== 'gone-in') live.set(name, path.join(sb.paths.peersDir, name));
    }
    for (const name of removed) await cli(['remove', name]);
    expect(await listed()).toEqual(live);
    // the removed peers' folders keep their profiles: a rebuild must still leave them out
    expect(fs.existsSync(path.join(sb.paths.peersDir, 'gone-in', '.iapeer', 'peer-profile.json'))).toBe(true);
  }, 120_000);

  afterAll(async () => {
    await stack.stop();
    sb.cleanup();
  });

  it('every live peer comes back and no removed peer does, wherever the file is cut', async () => {
    await fc.assert(
      fc.asyncProperty(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.boolean(), async (where, restartRegistry) => {
        const text = fs.readFileSync(sb.paths.peersFile, 'utf8');
        const cut = Math.floor(where * text.length);
        fs.truncateSync(sb.paths.peersFile, cut);
        if (restartRegistry) {
          // a registry started on the damaged file: no memory of the peers, only the files
          await stack.kill('registry');
          stack.spawn('registry');
          await stack.waitHealthy('registry');
        }
        await cli(['verify', '--fix']);
        const after = await listed();
        expect(after).toEqual(live);
        for (const name of removed) expect(after.has(name)).toBe(false);
        // the rebuilt file is whole again
        expect((await runCli(['verify'], sb.env)).code).toBe(0);
      }),
      { numRuns: 10 },
    );
  }, 300_000);
});
