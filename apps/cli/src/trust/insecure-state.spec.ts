import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { SERVICE_NAMES, type ServiceName } from '@iapeer/core';
import { DIST, makeSandbox, runCli, type Sandbox } from '@iapeer/testing';

/** Runs a real service binary to its exit (it must not stay up). */
function runService(name: ServiceName, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(DIST, name, 'main.js')], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${name} did not exit on an insecure state dir; stderr=${stderr}`));
    }, 20_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

// Issue 9 item 2: a state dir others can write lets a peer plant a socket, a marker or a
// token hash, so every service refuses to start on one, saying the chmod that fixes it.
describe('services refuse a group- or world-writable state dir', () => {
  let sb: Sandbox;
  beforeEach(() => {
    sb = makeSandbox();
    fs.mkdirSync(sb.paths.lifecycleDir, { recursive: true, mode: 0o700 });
    fs.chmodSync(sb.root, 0o700);
  });
  afterEach(() => sb.cleanup());

  it.each(SERVICE_NAMES.map((n) => [n]))('%s exits 1 on a 0777 <root>/state with the chmod hint, and opens no socket', async (name) => {
    fs.chmodSync(sb.paths.stateDir, 0o777);
    const r = await runService(name, sb.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `iapeer ${name}: failed to start: ${sb.paths.stateDir} is group- or world-writable (mode 777); run \`chmod 700 ${sb.paths.stateDir}\` and start again\n`,
    );
    expect(fs.existsSync(sb.paths.serviceSocket(name))).toBe(false);
  });

  it('the lifecycle dir (markers and token hashes) counts too: group-writable 0770 is refused', async () => {
    fs.chmodSync(sb.paths.lifecycleDir, 0o770);
    const r = await runService('router', sb.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`run \`chmod 700 ${sb.paths.lifecycleDir}\``);
  });

  it('`iapeer up` refuses at once, with the fix, and starts nothing', async () => {
    fs.chmodSync(sb.paths.stateDir, 0o777);
    const r = await runCli(['up', '--root', sb.root], sb.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${sb.paths.stateDir} is group- or world-writable (mode 777); run \`chmod 700 ${sb.paths.stateDir}\``);
    for (const n of SERVICE_NAMES) expect(fs.existsSync(sb.paths.serviceSocket(n))).toBe(false);
    // the fix the message gives works
    fs.chmodSync(sb.paths.stateDir, 0o700);
    try {
      const again = await runCli(['up', '--root', sb.root], sb.env);
      expect(again.code).toBe(0);
    } finally {
      await runCli(['down', '--root', sb.root], sb.env);
    }
  });
});
