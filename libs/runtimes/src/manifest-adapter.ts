import fs from 'node:fs';
import path from 'node:path';
import { countMatchingLines, filesContain, matchingFiles, newestMatchMtime, mtimeOf } from './activity-glob';
import type { LaunchContext, RuntimeAdapter } from './adapter';
import type { RuntimeManifest } from './manifest-schema';
import { composerAfterGlyph, type ScreenRules } from './screen/screen-state';

/** Placeholders a manifest's args/resumeArgs may hold (docs/architecture.md "Runtimes"). */
function fillPlaceholders(args: string[], ctx: LaunchContext): string[] {
  const values: Record<string, string | undefined> = {
    cwd: ctx.cwd,
    identity: ctx.identity,
    personality: ctx.personality,
    systemPromptFile: ctx.systemPromptFile,
  };
  const out: string[] = [];
  for (const arg of args) {
    // An argument that is only an unset placeholder (no system prompt file) is dropped.
    const only = /^\{(\w+)\}$/.exec(arg);
    if (only && only[1] in values && values[only[1]] === undefined) continue;
    out.push(arg.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? (values[k] ?? '') : m)));
  }
  return out;
}

/** A RuntimeAdapter built from a validated manifest. */
export function createManifestAdapter(manifest: RuntimeManifest): RuntimeAdapter {
  const ready = new RegExp(manifest.readyPattern, 'm');
  const dialogs = manifest.bootDialogs.map((d, i) => ({ match: new RegExp(d.match, 'm'), keys: d.keys, name: d.name ?? `dialog-${i + 1}` }));
  const activity = manifest.activity;
  const compactDone = manifest.compactDonePattern ? new RegExp(manifest.compactDonePattern) : undefined;
  const isInputReady = (pane: string) => ready.test(pane) && !dialogs.some((d) => d.match.test(pane));
  const screen: ScreenRules = {
    waiting: [...dialogs.map((d) => ({ name: d.name, match: d.match })), ...(manifest.waitingPattern ? [{ name: 'waitingPattern', match: new RegExp(manifest.waitingPattern, 'm') }] : [])],
    busy: manifest.busyPattern ? [{ name: 'busyPattern', match: new RegExp(manifest.busyPattern, 'm') }] : [],
    isInputReady,
    composer: (pane) => composerAfterGlyph(pane, manifest.promptGlyph),
  };
  return {
    name: manifest.runtime,
    kind: manifest.kind,
    promptGlyph: manifest.promptGlyph,
    bootDialogs: dialogs,
    buildArgv: (ctx) => [manifest.command, ...fillPlaceholders([...manifest.args, ...(ctx.resume ? (manifest.resumeArgs ?? []) : [])], ctx)],
    buildEnv: () => ({}),
    isInputReady,
    screen,
    resolveResume(cwd) {
      if (!manifest.resumeArgs) return { ok: false, reason: `runtime "${manifest.runtime}" declares no resumeArgs in its manifest` };
      if (!activity) return { ok: true };
      const newest = newestMatchMtime(cwd, activity);
      if (newest === null) return { ok: false, reason: `nothing to resume: no file matches "${activity}" in ${cwd}` };
      return { ok: true, ref: activity };
    },
    lastActivityMs: ({ cwd, paneLog }) => (activity ? newestMatchMtime(cwd, activity) : mtimeOf(paneLog)),
    // the activity files are the transcript when a manifest names them; the pane log is not
    // (it also shows text pasted but never submitted)
    transcriptHolds: ({ cwd }, needle) => (activity ? filesContain(matchingFiles(cwd, activity).map((f) => f.path), needle) : null),
    compactions: ({ cwd }) => (activity && compactDone ? countMatchingLines(matchingFiles(cwd, activity).map((f) => f.path), compactDone) : null),
    controls: { interrupt: ['Escape'], compact: { text: '/compact', keys: ['Enter'] } },
  };
}

/** True when a manifest's command is runnable as given (absolute path) or left to PATH. */
export function commandProblem(manifest: RuntimeManifest, manifestPath: string): string | null {
  if (!path.isAbsolute(manifest.command)) return null;
  try {
    fs.accessSync(manifest.command, fs.constants.X_OK);
    return null;
  } catch {
    return `${manifestPath}: field "command": ${manifest.command} does not exist or is not executable`;
  }
}
