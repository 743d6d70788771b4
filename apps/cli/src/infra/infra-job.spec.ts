import fs from 'node:fs';
import path from 'node:path';
import { makeSandbox, type Sandbox } from '@iapeer/testing';
import { infraRuntimeEnv } from './infra-job';
import { resolveExecutable } from './resolve-executable';

describe('the always-on job\'s runtime environment', () => {
  let sb: Sandbox;
  let bin: string;
  beforeEach(() => {
    sb = makeSandbox();
    bin = path.join(sb.dir, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'notifier-runtime'), '#!/bin/sh\n', { mode: 0o755 });
    fs.writeFileSync(path.join(bin, 'not-executable'), '', { mode: 0o644 });
  });
  afterEach(() => sb.cleanup());

  it('resolves the runtime program to an absolute path from PATH (a service manager does not search the login PATH)', () => {
    expect(infraRuntimeEnv('notifier', { PATH: `relative/dir:${bin}` })).toEqual({ env: { NOTIFIER_RUNTIME_BIN: path.join(bin, 'notifier-runtime') } });
    expect(infraRuntimeEnv('notifier', { PATH: '/nowhere', NOTIFIER_RUNTIME_BIN: path.join(bin, 'notifier-runtime'), NOTIFIER_FALLBACK_TARGET: 'ops' }).env).toEqual({
      NOTIFIER_RUNTIME_BIN: path.join(bin, 'notifier-runtime'),
      NOTIFIER_FALLBACK_TARGET: 'ops',
    });
  });

  it('warns (and still bakes what was given) when the program is not found', () => {
    const r = infraRuntimeEnv('telegram', { PATH: bin, TELEGRAM_RUNTIME_BIN: 'telegram-runtime' });
    expect(r.env).toEqual({ TELEGRAM_RUNTIME_BIN: 'telegram-runtime' });
    expect(r.warning).toMatch(/telegram-runtime is not an executable on PATH \(set TELEGRAM_RUNTIME_BIN/);
  });

  it('resolveExecutable: absolute and executable, or the first PATH match; never a relative path or a non-executable file', () => {
    expect(resolveExecutable(path.join(bin, 'notifier-runtime'), undefined)).toBe(path.join(bin, 'notifier-runtime'));
    expect(resolveExecutable('not-executable', bin)).toBeUndefined();
    expect(resolveExecutable('./notifier-runtime', bin)).toBeUndefined();
    expect(resolveExecutable('missing', bin)).toBeUndefined();
  });
});
