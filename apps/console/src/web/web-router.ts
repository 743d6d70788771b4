/**
 * What the page speaks to the console: tRPC over HTTP (queries and actions) and
 * server-sent events (subscriptions). Actions call the very procedures the CLI uses
 * (router `send`/`control`, supervisor `stop`/`start`/`new`) and hand back the
 * service's own answer; the HTTP layer (http/request-guard.ts) has already checked the
 * session cookie, the Origin and the action shape before a call gets here.
 */
import { z } from 'zod';
import {
  ConsoleSessionSchema, DecisionSchema, FleetSnapshotSchema, PanePreviewSchema, procedure, router, SendResultSchema, ControlResultSchema,
  StartResultSchema, StopResultSchema, WakeResultSchema, type ConsoleSession, type Decision,
} from '@iapeer/contracts';
import { IapeerError, MAX_MESSAGE_LEN, MAX_TOPIC_LEN, PERSONALITY_RE, RUNTIME_RE } from '@iapeer/core';
import type { TmuxDriver } from '@iapeer/tmux';
import type { FleetFeed } from '../fleet/fleet-feed';
import { toDecision } from '../fleet/decision-line';
import { watchPane } from '../fleet/pane-preview';
import type { ServiceClients } from '../fleet/services';
import { listen } from './listen';

const Personality = z.string().regex(PERSONALITY_RE, 'expected a peer name');
const Runtime = z.string().regex(RUNTIME_RE, 'expected a runtime name');
const Identity = z.string().regex(/^[a-z][a-z0-9]{0,31}-[a-z][a-z0-9-]{0,31}$/, 'expected an identity <runtime>-<personality>');

export const PeerInputSchema = z.object({ personality: Personality, runtime: Runtime.optional() }).strict();
export const WebSendInputSchema = z
  .object({
    from: Identity,
    personality: Personality,
    runtime: Runtime.optional(),
    message: z.string().min(1).max(MAX_MESSAGE_LEN),
    topic: z.string().max(MAX_TOPIC_LEN).optional(),
  })
  .strict();

export interface WebDeps {
  feed: FleetFeed;
  clients: ServiceClients;
  driver: Pick<TmuxDriver, 'capture'>;
  session: ConsoleSession;
}

export function createWebRouter(d: WebDeps) {
  const act = procedure.use(async ({ next }) => {
    // the HTTP layer refuses first; this keeps a read-only console read-only whatever the transport
    if (d.session.readOnly) throw new IapeerError('CONSOLE_READ_ONLY', 'this console is read-only: actions are refused');
    return next();
  });
  /** After an action, the peer's row is re-read at once (its decision line follows too). */
  const refreshed = async <T>(personality: string, answer: Promise<T>): Promise<T> => {
    try {
      return await answer;
    } finally {
      void d.feed.refreshPeer(personality);
    }
  };
  return router({
    session: procedure.output(ConsoleSessionSchema).query(() => d.session),
    fleet: procedure.subscription(async function* ({ signal }) {
      yield FleetSnapshotSchema.parse(d.feed.snapshot());
      for await (const s of listen((push) => d.feed.onSnapshot(push), signal, 'latest')) yield FleetSnapshotSchema.parse(s);
    }),
    /** The recent decisions as one batch, then each new batch as it is written. */
    decisions: procedure.subscription(async function* ({ signal }) {
      yield z.array(DecisionSchema).parse(d.feed.recentDecisions());
      for await (const batch of listen<Decision[]>((push) => d.feed.onDecisions(push), signal)) yield z.array(DecisionSchema).parse(batch);
    }),
    /** One peer's last decisions from logd (older than what the stream kept, when needed). */
    peerDecisions: procedure
      .input(z.object({ personality: Personality }).strict())
      .output(z.array(DecisionSchema))
      .query(async ({ input }) => {
        const out: Decision[] = [];
        for (const log of ['lifecycle', 'delivery'] as const) {
          const r = await d.clients.logd.query.query({ log, identity: input.personality, n: 30 });
          for (const line of r.lines) {
            const dec = toDecision(out.length, log, line);
            if (dec) out.push(dec);
          }
        }
        return out.sort((a, b) => a.ts.localeCompare(b.ts)).map((dec, i) => ({ ...dec, id: i }));
      }),
    pane: procedure.input(z.object({ identity: Identity }).strict()).subscription(async function* ({ input, signal }) {
      for await (const p of watchPane(d.driver, input.identity, signal)) yield PanePreviewSchema.parse(p);
    }),
    send: act
      .input(WebSendInputSchema)
      .output(SendResultSchema)
      .mutation(({ input }) => refreshed(input.personality, d.clients.router.send.mutate(input))),
    interrupt: act
      .input(PeerInputSchema)
      .output(ControlResultSchema)
      .mutation(({ input }) => refreshed(input.personality, d.clients.router.control.mutate({ ...input, command: 'interrupt' }))),
    stop: act
      .input(PeerInputSchema)
      .output(StopResultSchema)
      .mutation(({ input }) => refreshed(input.personality, d.clients.supervisor.stop.mutate(input))),
    start: act
      .input(PeerInputSchema)
      .output(StartResultSchema)
      .mutation(({ input }) => refreshed(input.personality, d.clients.supervisor.start.mutate(input))),
    freshRestart: act
      .input(PeerInputSchema)
      .output(WakeResultSchema)
      .mutation(({ input }) => refreshed(input.personality, d.clients.supervisor.new.mutate(input))),
  });
}

export type WebRouter = ReturnType<typeof createWebRouter>;
