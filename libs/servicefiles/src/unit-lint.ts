/** A parsed unit file: section name → ordered [key, value] pairs. */
export type UnitFile = Map<string, [string, string][]>;

/** The directives iapeer writes, per section; `X-` keys are systemd's extension namespace and allowed anywhere. */
const KNOWN: Record<string, ReadonlySet<string>> = {
  Unit: new Set(['Description', 'Documentation', 'Wants', 'Requires', 'After', 'Before', 'StartLimitIntervalSec', 'StartLimitBurst']),
  Service: new Set(['Type', 'ExecStart', 'WorkingDirectory', 'Environment', 'Restart', 'RestartSec', 'TimeoutStopSec', 'KillMode', 'StandardOutput', 'StandardError']),
  Install: new Set(['WantedBy']),
};

/**
 * A strict reader of systemd unit files (systemd.syntax(7)), for machines without
 * `systemd-analyze`: sections in brackets, `Key=Value` lines, `#`/`;` comments, no
 * continuation lines, no directive before the first section, only known directives.
 */
export function lintUnit(text: string): UnitFile {
  if (!text.endsWith('\n')) throw new Error('a unit file ends with a newline');
  const out: UnitFile = new Map();
  let section: string | undefined;
  text.slice(0, -1).split('\n').forEach((line, n) => {
    const where = `line ${n + 1} (${JSON.stringify(line)})`;
    if (line.trim() === '' || /^[#;]/.test(line)) return;
    if (line.endsWith('\\')) throw new Error(`${where}: continuation lines are not written by iapeer`);
    const sec = /^\[([A-Za-z]+)\]$/.exec(line);
    if (sec) {
      if (out.has(sec[1])) throw new Error(`${where}: duplicate section`);
      section = sec[1];
      out.set(section, []);
      return;
    }
    const kv = /^([A-Za-z][A-Za-z0-9-]*)=(.*)$/.exec(line);
    if (!kv) throw new Error(`${where}: not Key=Value`);
    if (!section) throw new Error(`${where}: directive before the first section`);
    const [, key, value] = kv;
    if (!key.startsWith('X-') && !KNOWN[section]?.has(key)) throw new Error(`${where}: unknown key ${key} in [${section}]`);
    out.get(section)!.push([key, value]);
  });
  for (const required of ['Unit', 'Service', 'Install']) if (!out.has(required)) throw new Error(`missing [${required}] section`);
  return out;
}

/** All values of one key in one section. */
export function unitValues(unit: UnitFile, section: string, key: string): string[] {
  return (unit.get(section) ?? []).filter(([k]) => k === key).map(([, v]) => v);
}
