import { decodeClientFrame, encode, type VisitorContext, type VisitorUser } from '@parley/protocol';
import type { BaseClientOptions, NetworkEvents, TransportFactory } from './types.js';
import { websocketTransport } from './transports/websocket.js';
import { relayBase } from './url.js';

/** @internal The relay URL checked, the transport chosen, the network events source found. */
export function resolveCommon(options: BaseClientOptions): { transport: TransportFactory; events: NetworkEvents | null } {
  if (!options || typeof options.relay !== 'string') throw new TypeError('options.relay (the relay URL) is required');
  relayBase(options.relay); // throws a clear TypeError on a bad URL, now rather than at connect
  const transport = options.transport ?? websocketTransport(options.WebSocket ? { WebSocket: options.WebSocket } : {});
  const g = globalThis as Partial<NetworkEvents>;
  const events =
    options.events !== undefined
      ? options.events
      : typeof g.addEventListener === 'function' && typeof g.removeEventListener === 'function'
        ? (globalThis as unknown as NetworkEvents)
        : null;
  return { transport, events };
}

/**
 * @internal Validate what goes into a visitor hello with the protocol's own schema, so a bad
 * `lang` or oversized context is a TypeError at the call site instead of a relay error frame
 * that would leave the client unable to ever get a welcome.
 */
export function checkHello(lang: string | undefined, context: VisitorContext | undefined, user?: VisitorUser): void {
  const d = decodeClientFrame(
    encode({
      type: 'hello',
      role: 'visitor',
      ...(lang !== undefined ? { lang } : {}),
      ...(context !== undefined ? { context } : {}),
      ...(user !== undefined ? { user } : {}),
    }),
  );
  if (!d.ok) throw new TypeError(`invalid visitor options: ${d.message}`);
}
