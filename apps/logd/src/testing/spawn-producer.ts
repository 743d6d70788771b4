import { spawn, type ChildProcess } from 'node:child_process';

export interface ProducerArgs {
  socketPath: string;
  id: number;
  count: number;
  log: 'lifecycle' | 'delivery';
  maxBuffered?: number;
  pace?: 'backpressure' | number;
}

export interface ProducerReport {
  id: number;
  count: number;
  ms: number;
  startedAt: number;
  endedAt: number;
  emitNsPerEvent: number;
  dropped: number;
  pending: number;
}

/** A producer process: `progress()` is the last count it reported, `done` its final report. */
export function spawnProducer(script: string, args: ProducerArgs, env: NodeJS.ProcessEnv) {
  const child: ChildProcess = spawn(process.execPath, [script, JSON.stringify(args)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let progress = 0;
  let stderr = '';
  let rest = '';
  const done = new Promise<ProducerReport>((resolve, reject) => {
    let report: ProducerReport | undefined;
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      const lines = (rest + d).split('\n');
      rest = lines.pop() ?? '';
      for (const l of lines) {
        if (l.startsWith('progress ')) progress = Number(l.slice(9));
        else if (l.startsWith('done ')) report = JSON.parse(l.slice(5)) as ProducerReport;
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.once('exit', (code) => (code === 0 && report ? resolve(report) : reject(new Error(`producer ${args.id} exited ${code}: ${stderr}`))));
  });
  return { child, done, progress: () => progress };
}
