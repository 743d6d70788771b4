import type net from 'node:net';
import superjson from 'superjson';
import type { Connection } from './connection';
import { errorMessage, IapeerError } from '@iapeer/core';
import { badFrameError, unavailableError } from './errors';
import type { ResponseFrame } from './ndjson';

export type CallType = 'query' | 'mutation' | 'subscription';

export interface CallHandlers {
  /** Every response frame for this call; call `done()` once the call is over. */
  onFrame(frame: ResponseFrame, done: () => void): void;
  /** The call failed without an answer (service down, or the connection was lost). */
  onFailed(err: Error): void;
}

export interface StartedCall {
  /** Stop listening for the answer (and tell the server to stop a subscription). */
  cancel(): void;
}

let nextId = 1;

/**
 * Sends one call on the connection. Connected: it writes in the same tick (no await,
 * no timers). Otherwise it waits for the socket within `retryMs`. A query whose
 * connection is lost is replayed within the bound; a mutation may already have run,
 * so it fails instead.
 */
export function startCall(conn: Connection, op: { type: CallType; path: string; input: unknown }, handlers: CallHandlers): StartedCall {
  const id = nextId++;
  // Serialized once, up front: superjson refuses some inputs (a `__proto__` key), and a throw
  // inside the asynchronous connect path would leave the call pending forever (found by the
  // fuzzed-contracts suite). Such an input fails the call with a typed INVALID_INPUT.
  let line: string;
  try {
    line = JSON.stringify({ id, type: op.type, path: op.path, input: op.input === undefined ? undefined : superjson.serialize(op.input) }) + '\n';
  } catch (err) {
    queueMicrotask(() =>
      handlers.onFailed(new IapeerError('INVALID_INPUT', `cannot send ${op.path}: its input cannot be serialized (${errorMessage(err)}); pass plain JSON-like values`, { cause: err })),
    );
    return { cancel: () => undefined };
  }
  if (line.length > conn.opts.maxCallChars) {
    // refused here: the server would drop the connection, and every call on it with this one
    const err = badFrameError(`cannot send ${op.path}: the call is ${line.length} characters, over the limit of ${conn.opts.maxCallChars}; send less per call`, { path: op.path });
    queueMicrotask(() => handlers.onFailed(err));
    return { cancel: () => undefined };
  }
  const deadline = Date.now() + conn.opts.retryMs;
  let finished = false;
  let sent = false;
  const done = () => {
    if (finished) return;
    finished = true;
    conn.unregister(id);
    conn.ref(conn.active > 0);
  };
  const pending = {
    onFrame: (frame: ResponseFrame) => handlers.onFrame(frame, done),
    onBroken(err: Error) {
      if (finished) return;
      done();
      handlers.onFailed(err);
    },
    onLost(err: Error) {
      if (finished) return;
      if (op.type === 'query' && Date.now() < deadline) {
        attempt();
        return;
      }
      done();
      handlers.onFailed(unavailableError(conn.opts, err, op.type === 'mutation'));
    },
  };
  const write = (socket: net.Socket) => {
    if (finished) return;
    conn.register(id, pending);
    conn.ref(true);
    sent = true;
    socket.write(line);
  };
  const attempt = () => {
    const live = conn.current();
    if (live) return write(live);
    conn.get(deadline).then(write, (err: Error) => {
      if (finished) return;
      done();
      handlers.onFailed(err);
    });
  };
  attempt();
  return {
    cancel() {
      if (!finished && sent && op.type === 'subscription') conn.send({ id, type: 'stop' });
      done();
    },
  };
}
