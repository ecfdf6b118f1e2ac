import { VisitorHelloInputSchema, type VisitorContext, type VisitorUser } from '@parley/protocol';
import type { Platform } from './platform.js';
import { autoTransport } from './transports/auto.js';
import { pollingTransport } from './transports/polling.js';
import { websocketTransport } from './transports/websocket.js';
import type { BaseClientOptions, NetworkEvents, TransportFactory } from './types.js';
import { relayBase } from './url.js';

/**
 * @internal The relay URL checked, the transport option normalised to one factory (once, at
 * construction), the network events source found.
 */
export function resolveCommon(options: BaseClientOptions, platform: Platform): { transport: TransportFactory; events: NetworkEvents | null } {
  if (!options || typeof options.relay !== 'string') throw new TypeError('options.relay (the relay URL) is required');
  relayBase(options.relay); // throws a clear TypeError on a bad URL, now rather than at connect
  const g = globalThis as Partial<NetworkEvents>;
  const events =
    options.events !== undefined
      ? options.events
      : typeof g.addEventListener === 'function' && typeof g.removeEventListener === 'function'
        ? (globalThis as unknown as NetworkEvents)
        : null;
  return { transport: resolveTransport(options, platform), events };
}

function resolveTransport(options: BaseClientOptions, platform: Platform): TransportFactory {
  const choice = options.transport ?? 'auto';
  if (typeof choice === 'function') return choice;
  const timers = { setTimeout: platform.setTimeout, clearTimeout: platform.clearTimeout };
  const websocket = () => websocketTransport(options.WebSocket ? { WebSocket: options.WebSocket } : {});
  const polling = () => pollingTransport({ timers, ...(options.fetch ? { fetch: options.fetch } : {}) });
  if (choice === 'websocket') return websocket();
  if (choice === 'polling') return polling();
  if (choice === 'auto') return autoTransport({ websocket: websocket(), polling: polling(), timers });
  throw new TypeError(`options.transport must be 'auto', 'websocket', 'polling' or a TransportFactory, got ${JSON.stringify(choice)}`);
}

/**
 * @internal Check what goes into a visitor hello with the relay's rules for it (the protocol's
 * VisitorHelloInputSchema), so a bad `lang` or oversized context is a TypeError at the call
 * site instead of a relay error frame that would leave the client unable to ever get a welcome.
 */
export function checkHello(lang: string | undefined, context: VisitorContext | undefined, user?: VisitorUser): void {
  // Through the schema's Standard Schema interface: no direct valibot import in the client.
  const r = VisitorHelloInputSchema['~standard'].validate({ lang, context, user });
  const issue = 'issues' in r ? r.issues?.[0] : undefined;
  if (issue) {
    const path = issue.path?.map((p) => String(typeof p === 'object' ? p.key : p)).join('.');
    throw new TypeError(`invalid visitor options${path ? ` at ${path}` : ''}: ${issue.message}`);
  }
}
