import type { CliIO } from '../io';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const PHASE_TEXT: Record<string, string> = {
  waking: 'waking',
  'pre-clean': 'cleaning up',
  spawning: 'starting tmux',
  booting: 'booting',
  'answering-dialogs': 'answering dialogs',
  delivering: 'delivering',
  'ready-gate': 'waiting for the agent',
};

export interface Progress {
  phase(phase: string): void;
  done(): void;
}

/**
 * A long wait's progress: on a TTY a spinner with the phase on one rewritten stderr
 * line; otherwise one plain stderr line per phase change (logs stay readable).
 */
export function startProgress(io: CliIO, label: string, write: (s: string) => void = (s) => process.stderr.write(s)): Progress {
  let current = 'waking';
  if (!io.isTTY) {
    io.err(`${label}: ${PHASE_TEXT[current]}`);
    return {
      phase(p) {
        if (p === current) return;
        current = p;
        io.err(`${label}: ${PHASE_TEXT[p] ?? p}`);
      },
      done() {},
    };
  }
  let i = 0;
  const render = () => write(`\r\x1b[2K${FRAMES[i++ % FRAMES.length]} ${label}: ${PHASE_TEXT[current] ?? current}`);
  render();
  const timer = setInterval(render, 80);
  return {
    phase(p) {
      current = p;
      render();
    },
    done() {
      clearInterval(timer);
      write('\r\x1b[2K');
    },
  };
}
