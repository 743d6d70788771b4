import { IapeerError, findIapeerError } from './errors';

describe('findIapeerError', () => {
  it('finds the error itself, or one down the cause chain', () => {
    const down = new IapeerError('SERVICE_UNAVAILABLE', 'the registry service is not answering');
    expect(findIapeerError(down)).toBe(down);
    expect(findIapeerError(new Error('client error', { cause: new Error('link', { cause: down }) }))).toBe(down);
  });

  it('rebuilds a remote typed error from its wire data (a tRPC client error of another service)', () => {
    const remote = Object.assign(new Error('unknown peer "ghost"'), { data: { iapeerCode: 'PEER_NOT_FOUND', details: { personality: 'ghost' } } });
    const found = findIapeerError(remote);
    expect(found).toMatchObject({ code: 'PEER_NOT_FOUND', message: 'unknown peer "ghost"', data: { personality: 'ghost' } });
    expect(found?.cause).toBe(remote);
  });

  it('gives nothing for untyped errors, a remote INTERNAL, an unknown code, or a non-object', () => {
    expect(findIapeerError(new Error('boom'))).toBeUndefined();
    expect(findIapeerError(Object.assign(new Error('x'), { data: { iapeerCode: 'INTERNAL' } }))).toBeUndefined();
    expect(findIapeerError(Object.assign(new Error('x'), { data: { iapeerCode: 'NOT_A_CODE' } }))).toBeUndefined();
    expect(findIapeerError('text')).toBeUndefined();
    const loop: { cause?: unknown } = {};
    loop.cause = loop;
    expect(findIapeerError(loop)).toBeUndefined();
  });
});
