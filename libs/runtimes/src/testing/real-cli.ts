import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, makeTempHome, type TempHome } from './temp-home';
import type { LaunchContext, RuntimeAdapter } from '../adapter';
import { createRawTmux, type RawTmux } from './raw-tmux';

/** The devDependency CLIs (docs/notes/stack.md): tests only; production resolves `claude`/`codex` on PATH. */
export const CLAUDE_DEV_BIN = path.join(REPO_ROOT, 'node_modules', '.bin', 'claude');
export const CODEX_DEV_BIN = path.join(REPO_ROOT, 'node_modules', '.bin', 'codex');

export interface RealCliWorld {
  sb: TempHome;
  cwd: string;
  tmux: RawTmux;
  /** A launch context for this world's peer. */
  ctx(over?: Partial<LaunchContext>): LaunchContext;
  /** Spawns `identity` with the adapter's argv and env (what launch() will do), the identity ABI last. */
  spawn(adapter: RuntimeAdapter, ctx: LaunchContext): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * A throw-away HOME and IAPEER_ROOT, a peer cwd, and an isolated tmux server. The
 * host's agent variables are dropped (a test started from inside Claude Code or Codex
 * must not leak its session into the one under test) and only dummy keys are set:
 * there is no network, so a submitted turn fails with a connection error.
 */
export function makeRealCliWorld(runtime: string, extraEnv: Record<string, string>): RealCliWorld {
  const sb = makeTempHome();
  Object.assign(sb.env, extraEnv);
  const cwd = path.join(sb.dir, 'peer');
  fs.mkdirSync(cwd);
  const tmux = createRawTmux(path.join(sb.dir, 't.sock'));
  fs.mkdirSync(sb.paths.paneLogDir, { recursive: true });
  const identity = `${runtime}-ada`;
  return {
    sb,
    cwd,
    tmux,
    ctx: (over = {}) => ({ cwd, identity, personality: 'ada', resume: false, env: sb.env, ...over }),
    async spawn(adapter, ctx) {
      const argv = adapter.buildArgv(ctx);
      const base = Object.fromEntries(Object.entries(ctx.env).filter((e): e is [string, string] => typeof e[1] === 'string'));
      const env = { ...base, ...adapter.buildEnv(ctx), PEER_PERSONALITY: ctx.personality, PEER_RUNTIME: runtime, PEER_IDENTITY: ctx.identity };
      await tmux.spawn({ identity: ctx.identity, cwd: ctx.cwd, argv, env, paneLog: path.join(sb.paths.paneLogDir, `${ctx.identity}.log`) });
      return argv;
    },
    async close() {
      await tmux.destroy();
      sb.cleanup();
    },
  };
}

/** The text of every file under `dir` (transcripts are small in these tests). */
export function readAllUnder(dir: string): string {
  if (!fs.existsSync(dir)) return '';
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => fs.readFileSync(path.join(e.parentPath, e.name), 'utf8'))
    .join('\n');
}
