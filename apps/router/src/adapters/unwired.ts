/**
 * TEMPORARY placeholders for the ports whose implementations are not merged yet
 * (libs/tmux driver, libs/runtimes deliver). They fail loudly and truthfully: no
 * session is ever reported live, and a delivery says why it cannot happen.
 * Replace with createTmuxSessionProbe/createTmuxTerminal in service.ts at merge.
 */
import type { SessionProbe, TerminalPort } from '../ports';

const WHY = 'this router build has no tmux driver wired yet (libs/tmux and libs/runtimes are not merged)';

export const unwiredSessions: SessionProbe = {
  isLive: async () => false,
  liveRuntimes: async () => [],
};

export const unwiredTerminal: TerminalPort = {
  deliver: async (target) => ({ ok: false, reason: `cannot deliver to ${target.identity}: ${WHY}; message NOT delivered` }),
  control: async () => 'unsupported',
};
