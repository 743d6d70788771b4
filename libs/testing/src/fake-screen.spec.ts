import fs from 'node:fs';
import path from 'node:path';
import { RuntimeManifestSchema, createManifestAdapter, readScreen } from '@iapeer/runtimes';
import { fakeRuntimeManifest } from './fake-runtime';

/** Screens captured from the fake agent in tmux (boot dialog, ready, FAKE:busy, FAKE:dialog). */
const fx = (name: string) => fs.readFileSync(path.join(__dirname, '../fake-agent/fixtures', name), 'utf8');

describe('the fake agent screen reads every screen state through its manifest', () => {
  const fake = createManifestAdapter(RuntimeManifestSchema.parse(fakeRuntimeManifest()));
  it.each([
    ['ready.txt', 'ready', ''],
    ['busy.txt', 'busy', 'typed'],
    ['after-busy.txt', 'ready', ''],
    ['dialog.txt', 'waiting', null],
    ['boot-dialog.txt', 'waiting', null],
    ['composer-text.txt', 'unknown', 'half typed'],
  ])('%s reads %s', (file, state, composer) => {
    const r = readScreen(fake, fx(file));
    expect(r.state).toBe(state);
    expect(r.composer).toBe(composer);
  });
});
