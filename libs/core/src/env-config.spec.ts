import { loadConfig, positiveInt } from './env-config';
import { normalizeIntelligence, defaultIntelligence } from './intelligence';
import { resolvePaths, MAX_SOCKET_PATH } from './paths';

describe('env config', () => {
  it('reads numbers with parseInt and falls back on bad values', () => {
    expect(positiveInt('15', 3)).toBe(15);
    expect(positiveInt('15s', 3)).toBe(15);
    for (const bad of ['0', '-2', 'abc', '', 'NaN']) expect(positiveInt(bad, 3)).toBe(3);
    const cfg = loadConfig({ IAPEER_IDLE_SECS: '2', IAPEER_CRASHLOOP_MAX: 'zero', IAPEER_SUPERVISE_LOG_VERBOSE: 'yes' });
    expect(cfg.idleSecs).toBe(2);
    expect(cfg.crashLoopMax).toBe(3);
    expect(cfg.superviseLogVerbose).toBe(true);
    expect(cfg.mcpIdentityMode).toBe('token');
  });

  it('reads the ephemeral quiet and unarmed bounds (§7.1), defaults 20 s and 600 s', () => {
    expect(loadConfig({})).toMatchObject({ ephemeralQuietSecs: 20, ephemeralUnarmedIdleSecs: 600 });
    expect(loadConfig({ IAPEER_EPHEMERAL_QUIET_SECS: '3', IAPEER_EPHEMERAL_UNARMED_IDLE_SECS: '45' })).toMatchObject({ ephemeralQuietSecs: 3, ephemeralUnarmedIdleSecs: 45 });
    expect(loadConfig({ IAPEER_EPHEMERAL_QUIET_SECS: '0', IAPEER_EPHEMERAL_UNARMED_IDLE_SECS: 'x' })).toMatchObject({ ephemeralQuietSecs: 20, ephemeralUnarmedIdleSecs: 600 });
    expect(loadConfig({}).ephemeralQueueMax).toBe(1000);
    expect(loadConfig({ IAPEER_EPHEMERAL_QUEUE_MAX: '5' }).ephemeralQueueMax).toBe(5);
  });
});

describe('intelligence', () => {
  it('reads legacy values as their nature and defaults by runtime', () => {
    expect(normalizeIntelligence('human')).toBe('natural');
    expect(normalizeIntelligence('scripted')).toBe('absent');
    expect(() => normalizeIntelligence('robot')).toThrow(/unknown intelligence "robot"/);
    // inherited object keys are not vocabulary (a fuzz finding: "toString" passed as legacy)
    for (const key of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) expect(() => normalizeIntelligence(key)).toThrow(/unknown intelligence/);
    expect(defaultIntelligence('telegram')).toBe('natural');
    expect(defaultIntelligence('notifier')).toBe('absent');
    expect(defaultIntelligence('claude')).toBe('artificial');
  });
});

describe('paths (§2.4, §3.1)', () => {
  it('derives everything from IAPEER_ROOT and isolates tmux sockets under it', () => {
    const p = resolvePaths({ HOME: '/h', IAPEER_ROOT: '/tmp/r' });
    expect(p.root).toBe('/tmp/r');
    expect(p.sockDir).toBe('/tmp/r/socks');
    expect(p.serviceSocket('registry')).toBe('/tmp/r/state/iapeer/sock/registry.sock');
    expect(p.tmuxSocket('claude-bob')).toBe('/tmp/r/socks/tmux-iap-claude-bob.sock');
    expect(p.peerStateFile('claude-bob', 'session')).toBe('/tmp/r/state/lifecycle/claude-bob.session');
  });

  it('defaults to ~/.iapeer and /tmp tmux sockets; IAPEER_SOCK_DIR wins', () => {
    expect(resolvePaths({ HOME: '/h' }).root).toBe('/h/.iapeer');
    expect(resolvePaths({ HOME: '/h' }).sockDir).toBe('/tmp');
    expect(resolvePaths({ HOME: '/h', IAPEER_ROOT: '/r', IAPEER_SOCK_DIR: '/s' }).sockDir).toBe('/s');
  });

  it('falls back to a short socket dir when the root is too deep for sun_path', () => {
    const deep = '/tmp/' + 'x'.repeat(120);
    const p = resolvePaths({ HOME: '/h', IAPEER_ROOT: deep });
    expect(Buffer.byteLength(p.serviceSocket('supervisor'))).toBeLessThanOrEqual(MAX_SOCKET_PATH);
    expect(p.serviceSocket('supervisor')).not.toContain(deep);
  });
});

describe('IAPEER_PORT', () => {
  it.each<[string | undefined, number]>([
    [undefined, 8765],
    ['0', 0],
    ['9000', 9000],
    ['65536', 8765],
    ['-1', 8765],
    ['80x', 8765],
  ])('%p gives port %p (0 = a free port, for tests)', (raw, port) => {
    expect(loadConfig(raw === undefined ? {} : { IAPEER_PORT: raw }).mcpPort).toBe(port);
  });
});
