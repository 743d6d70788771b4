import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The lint rules of the house, shown failing: small sources linted (by the real
 * eslint.config.mjs) as if they sat inside a project, so each carries that project's tags.
 * Nothing is written into the projects; the paths only place the text.
 */

const ROOT = path.resolve(__dirname, '../..');
const BOUNDARIES = '@nx/enforce-module-boundaries';
const NO_ANY = '@typescript-eslint/no-explicit-any';

interface Fixture {
  name: string;
  filePath: string;
  code: string;
  /** The rules that must fire, one entry per expected message; [] = the fixture is clean. */
  expect: string[];
  /**
   * What the boundary message must say, when it matters which rule refused the import.
   * An import against an arrow that points the other way is refused as a cycle first.
   */
  mentions?: RegExp;
}

const FIXTURES: Fixture[] = [
  // no-explicit-any, in a lib, an app and a spec
  { name: 'an any in a lib', filePath: 'libs/rpc/src/lint-fixture.ts', code: 'export const echo = (v: any) => v;\n', expect: [NO_ANY] },
  { name: 'an any in an app', filePath: 'apps/registry/src/lint-fixture.ts', code: 'export const echo = (v: any) => v;\n', expect: [NO_ANY] },
  { name: 'an any in a spec without a reason', filePath: 'libs/core/src/lint-fixture.spec.ts', code: 'export const echo = (v: any) => v;\n', expect: [NO_ANY] },
  {
    name: 'an any in a spec behind a disable comment that says why',
    filePath: 'libs/core/src/lint-fixture.spec.ts',
    code: '// eslint-disable-next-line @typescript-eslint/no-explicit-any -- deliberately outside the type\nexport const echo = (v: any) => v;\n',
    expect: [],
  },
  // the arrows: each import that breaks one
  { name: 'tmux imports storage', filePath: 'libs/tmux/src/lint-fixture.ts', code: "import { ensureDir } from '@iapeer/storage';\nexport const f = ensureDir;\n", expect: [BOUNDARIES], mentions: /scope:tmux/ },
  { name: 'core imports contracts', filePath: 'libs/core/src/lint-fixture.ts', code: "import { PeerSchema } from '@iapeer/contracts';\nexport const s = PeerSchema;\n", expect: [BOUNDARIES], mentions: /Circular dependency between "lib-core" and "lib-contracts"/ },
  { name: 'contracts imports storage', filePath: 'libs/contracts/src/lint-fixture.ts', code: "import { ensureDir } from '@iapeer/storage';\nexport const f = ensureDir;\n", expect: [BOUNDARIES], mentions: /type:contract/ },
  { name: 'codec imports tmux', filePath: 'libs/codec/src/lint-fixture.ts', code: "import { createTmuxDriver } from '@iapeer/tmux';\nexport const f = createTmuxDriver;\n", expect: [BOUNDARIES], mentions: /scope:codec/ },
  { name: 'storage imports rpc', filePath: 'libs/storage/src/lint-fixture.ts', code: "import { connect } from '@iapeer/rpc';\nexport const f = connect;\n", expect: [BOUNDARIES], mentions: /scope:storage/ },
  { name: 'rpc imports storage (directory setup is not transport)', filePath: 'libs/rpc/src/lint-fixture.ts', code: "import { ensureDir } from '@iapeer/storage';\nexport const f = ensureDir;\n", expect: [BOUNDARIES], mentions: /scope:rpc/ },
  { name: 'rpc imports logclient (log shipping is not transport)', filePath: 'libs/rpc/src/lint-fixture.ts', code: "import { createLogSender } from '@iapeer/logclient';\nexport const f = createLogSender;\n", expect: [BOUNDARIES], mentions: /Circular dependency between "lib-rpc" and "lib-logclient"/ },
  { name: 'rpc imports a service contract (logd)', filePath: 'libs/rpc/src/lint-fixture.ts', code: "import type { LogdRouter } from '@iapeer/contracts';\nexport type R = LogdRouter;\n", expect: [BOUNDARIES], mentions: /scope:rpc/ },
  { name: 'rpc imports pino', filePath: 'libs/rpc/src/lint-fixture.ts', code: "import { pino } from 'pino';\nexport const f = pino;\n", expect: [BOUNDARIES], mentions: /pino/ },
  { name: 'logclient imports service-runtime (upwards)', filePath: 'libs/logclient/src/lint-fixture.ts', code: "import { startService } from '@iapeer/service-runtime';\nexport const f = startService;\n", expect: [BOUNDARIES], mentions: /Circular dependency between "lib-logclient" and "lib-service-runtime"/ },
  { name: 'a lib imports testing', filePath: 'libs/runtimes/src/lint-fixture.ts', code: "import { makeSandbox } from '@iapeer/testing';\nexport const f = makeSandbox;\n", expect: [BOUNDARIES] },
  // clean: imports along the arrows
  {
    name: 'clean: logclient → contracts, core, rpc',
    filePath: 'libs/logclient/src/lint-fixture.ts',
    code: "import type { AppendInput } from '@iapeer/contracts';\nimport { errorMessage } from '@iapeer/core';\nimport { connect } from '@iapeer/rpc';\nexport const f = [connect, errorMessage];\nexport type A = AppendInput;\n",
    expect: [],
  },
  { name: 'clean: tmux → core', filePath: 'libs/tmux/src/lint-fixture.ts', code: "import { errorMessage } from '@iapeer/core';\nexport const f = errorMessage;\n", expect: [] },
  { name: 'clean: service-runtime → storage, logclient, rpc', filePath: 'libs/service-runtime/src/lint-fixture.ts', code: "import { ensureDir } from '@iapeer/storage';\nimport { createServiceLogStream } from '@iapeer/logclient';\nimport { serve } from '@iapeer/rpc';\nexport const f = [ensureDir, createServiceLogStream, serve];\n", expect: [] },
  { name: 'clean: an app → service-runtime', filePath: 'apps/logd/src/lint-fixture.ts', code: "import { runServiceMain } from '@iapeer/service-runtime';\nexport const f = runServiceMain;\n", expect: [] },
  { name: "clean: rpc's specs may build routers on the contracts' tRPC instance", filePath: 'libs/rpc/src/lint-fixture.spec.ts', code: "import { procedure } from '@iapeer/contracts';\nexport const p = procedure;\n", expect: [] },
];

interface ProbeOutput {
  arrows: Record<string, string[]>;
  results: Array<Array<{ ruleId: string | null; message: string }>>;
}

let probe: ProbeOutput;

beforeAll(() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iap-lint-'));
  const cases = path.join(dir, 'cases.json');
  const out = path.join(dir, 'out.json');
  fs.writeFileSync(cases, JSON.stringify(FIXTURES.map(({ filePath, code }) => ({ filePath, code }))));
  execFileSync(process.execPath, [path.join(ROOT, 'tools/lint/lint-probe.mjs'), cases, out], { cwd: ROOT, stdio: 'pipe' });
  probe = JSON.parse(fs.readFileSync(out, 'utf8')) as ProbeOutput;
  fs.rmSync(dir, { recursive: true, force: true });
}, 120_000);

describe('lint enforces the house rules (eslint.config.mjs)', () => {
  it.each(FIXTURES.map((f, i) => [f.name, i] as const))('%s', (_name, i) => {
    const fixture = FIXTURES[i];
    const messages = probe.results[i];
    expect(messages.map((m) => m.ruleId).sort()).toEqual([...fixture.expect].sort());
    if (fixture.mentions) expect(messages.find((m) => m.ruleId === BOUNDARIES)?.message).toMatch(fixture.mentions);
  });

  it('every lib has a scope tag named after it and an arrow; arrows point only at libs and never in a cycle', () => {
    const libs = fs.readdirSync(path.join(ROOT, 'libs')).filter((d) => fs.existsSync(path.join(ROOT, 'libs', d, 'project.json')));
    for (const lib of libs) {
      const { tags } = JSON.parse(fs.readFileSync(path.join(ROOT, 'libs', lib, 'project.json'), 'utf8')) as { tags: string[] };
      expect({ lib, scopes: tags.filter((t) => t.startsWith('scope:')) }).toEqual({ lib, scopes: [`scope:${lib}`] });
    }
    expect(Object.keys(probe.arrows).sort()).toEqual([...libs].sort());
    for (const deps of Object.values(probe.arrows)) for (const d of deps) expect(libs).toContain(d);
    // depth-first walk: a lib reached again while still on the path is a cycle
    const visit = (lib: string, onPath: string[]): void => {
      expect(onPath).not.toContain(lib);
      for (const d of probe.arrows[lib]) visit(d, [...onPath, lib]);
    };
    for (const lib of libs) visit(lib, []);
  });
});
