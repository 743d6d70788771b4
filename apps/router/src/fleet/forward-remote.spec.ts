import type { ForwardInput } from '@iapeer/contracts';
import { isIapeerError } from '@iapeer/core';
import type { ResolvedCaller } from '../caller/resolve-caller';
import type { FleetPort } from './fleet-port';
import { forwardRemote, remoteHostOf, splitHostArg } from './forward-remote';
import { remoteCaller } from './remote-caller';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return isIapeerError(err) ? err.code : String(err);
  }
  return 'no error';
};

function fakeFleet(): FleetPort & { calls: ForwardInput[] } {
  const calls: ForwardInput[] = [];
  return {
    host: 'hosta',
    calls,
    async forward(input) {
      calls.push(input);
      return { ok: true, delivered_to: { personality: input.personality, runtime: 'fake' }, woke: false, ts: new Date(0).toISOString() };
    },
  };
}

const caller: ResolvedCaller = { identity: 'fake-alice', runtime: 'fake', personality: 'alice', record: { personality: 'alice', default_runtime: 'fake', runtimes: ['fake'], intelligence: 'artificial', cwd: '/w/alice', interfaces: {} } };

describe('the router\'s fleet hook', () => {
  it('name@this-host is a local send; name@other is remote; a bare name passes through', () => {
    const fleet = fakeFleet();
    expect(splitHostArg({ personality: 'bob@hosta', message: 'm' }, fleet)).toEqual({ args: { personality: 'bob', message: 'm' } });
    expect(splitHostArg({ personality: 'bob@hostb', message: 'm' }, fleet)).toEqual({ args: { personality: 'bob', message: 'm' }, host: 'hostb' });
    expect(splitHostArg({ personality: 'bob', message: 'm' }, fleet)).toEqual({ args: { personality: 'bob', message: 'm' } });
  });

  it('refuses a remote target without a fleet (FLEET_DISABLED) and a malformed host (SEND_REJECTED)', () => {
    expect(codeOf(() => splitHostArg({ personality: 'bob@hostb' }, undefined))).toBe('FLEET_DISABLED');
    expect(codeOf(() => splitHostArg({ personality: 'bob@' }, fakeFleet()))).toBe('SEND_REJECTED');
    expect(codeOf(() => splitHostArg({ personality: 'bob@a.b' }, fakeFleet()))).toBe('SEND_REJECTED');
  });

  it('a bare name goes to the fleet only when it is not registered here', async () => {
    const fleet = fakeFleet();
    const directory = { get: async (p: string) => (p === 'bob' ? caller.record : null) };
    expect(await remoteHostOf(undefined, 'bob', fleet, directory)).toBeUndefined();
    expect(await remoteHostOf(undefined, 'zed', fleet, directory)).toEqual({ kind: 'any' });
    expect(await remoteHostOf(undefined, 'zed', undefined, directory)).toBeUndefined();
    expect(await remoteHostOf('hostb', 'bob', fleet, directory)).toEqual({ kind: 'named', host: 'hostb' });
  });

  it('forwards the send id of a keyed send, after marking it pending; refuses attachments before that', async () => {
    const fleet = fakeFleet();
    const started: string[] = [];
    const attempt = { id: 'abc123', uncertain: false, starting: () => started.push('x') };
    await forwardRemote(caller, { personality: 'bob', message: 'hi', topic: 't', queue: true }, { kind: 'named', host: 'hostb' }, fleet, attempt);
    expect(fleet.calls).toEqual([{ from: 'fake-alice', personality: 'bob', host: 'hostb', runtime: undefined, message: 'hi', topic: 't', sendId: 'abc123', queue: true }]);
    expect(started).toEqual(['x']);
    await expect(forwardRemote(caller, { personality: 'bob', message: 'hi', attachments: ['/etc/hostname'] }, { kind: 'any' }, fleet, attempt)).rejects.toMatchObject({ code: 'SEND_REJECTED' });
    expect(started).toEqual(['x']);
  });

  it('a remote caller is identity@host, named personality@host in the envelope', () => {
    expect(remoteCaller({ identity: 'fake-alice', host: 'hosta' })).toMatchObject({ identity: 'fake-alice@hosta', runtime: 'fake', personality: 'alice@hosta' });
    expect(codeOf(() => remoteCaller({ identity: 'alice', host: 'hosta' }))).toBe('CALLER_UNKNOWN');
  });
});
