import fs from 'node:fs';
import path from 'node:path';
import { makeSandbox, type Sandbox } from '@iapeer/testing';
import { runtimeUnavailableReason } from '../core/runtime-unavailable';
import { createRuntimeAdapters } from './runtimes-bridge';

/** A refused manifest (behaviour §7.8) reaches the wake's reason with its path, field, reason and fix. */
describe('createRuntimeAdapters × a refused manifest', () => {
  let sb: Sandbox;
  beforeEach(() => (sb = makeSandbox()));
  afterEach(() => sb.cleanup());

  const write = (readyPattern: string) => {
    const dir = path.join(sb.paths.runtimesDir, 'toy');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'runtime.json');
    fs.writeFileSync(file, JSON.stringify({ runtime: 'toy', command: 'toy', promptGlyph: '❯', readyPattern }));
    return file;
  };

  it('names the manifest problem; once fixed, the runtime loads and the reason is the plain one', () => {
    const file = write('^❯ ');
    const adapters = createRuntimeAdapters({ paths: sb.paths, env: sb.env });

    expect(adapters.get('toy')).toBeNull();
    const reason = runtimeUnavailableReason(adapters, 'toy');
    expect(reason).toContain(`runtime "toy" is unavailable: its manifest is refused (RUNTIME_MANIFEST_INVALID): ${file}: field "readyPattern": pattern "^❯ " ends in whitespace`);
    expect(reason).toContain('drop the trailing whitespace ("^❯")');

    write('^❯');
    expect(adapters.get('toy')?.name).toBe('toy');
    expect(adapters.problem?.('toy')).toBeNull();
    expect(runtimeUnavailableReason(adapters, 'nosuch')).toBe('runtime "nosuch" has no adapter (not built in, or runtimes/nosuch/runtime.json is missing or invalid)');
  });
});
