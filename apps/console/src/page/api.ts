/**
 * The page's one connection to the console: tRPC over HTTP for queries and actions,
 * server-sent events for the live streams (fleet, decisions, pane). Same origin, so
 * the session cookie rides along and nothing else is needed; the JSON content type of
 * every action is part of the CSRF defence (http/request-guard.ts).
 */
import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import superjson from 'superjson';
import type { WebRouter } from '../web/web-router';

export const api = createTRPCClient<WebRouter>({
  links: [
    splitLink({
      condition: (op) => op.type === 'subscription',
      true: httpSubscriptionLink({ url: '/trpc', transformer: superjson }),
      false: httpLink({ url: '/trpc', transformer: superjson }),
    }),
  ],
});

/** The text of a failed call: the service's own message (its iapeer code first when it has one). */
export function failureText(err: unknown): string {
  const e = err as { message?: string; data?: { iapeerCode?: string } };
  const code = e?.data?.iapeerCode;
  return `${code ? `[${code}] ` : ''}${e?.message ?? String(err)}`;
}
