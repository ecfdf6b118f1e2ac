import { VisitorInputSchema, type VisitorInput } from '@parley/protocol';
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
  // The platform's timers are plain functions (no `this`): the transports call them as methods.
  const timers = platform;
  const websocket = () => websocketTransport(options.WebSocket ? { WebSocket: options.WebSocket } : {});
  const polling = () => pollingTransport({ timers, ...(options.fetch ? { fetch: options.fetch } : {}) });
  if (choice === 'websocket') return websocket();
  if (choice === 'polling') return polling();
  if (choice === 'auto') return autoTransport({ websocket: websocket(), polling: polling(), timers });
  throw new TypeError(`options.transport must be 'auto', 'websocket', 'polling' or a TransportFactory, got ${JSON.stringify(choice)}`);
}

/**
 * @internal What is wrong with values for a visitor hello or prechat (lang, topic, e-mail,
 * context, user) by the relay's rules for them (the protocol's VisitorInputSchema), or
 * undefined when nothing is: a bad `lang` or oversized context is then an error at the call
 * site, not a relay error frame that would leave the client unable to ever get a welcome.
 * A value that must be given is passed as `value ?? null`, so a missing one fails.
 */
export function inputProblem(input: { [K in keyof VisitorInput]: VisitorInput[K] | null | undefined }): string | undefined {
  // Through the schema's Standard Schema interface: no direct valibot import in the client.
  const r = VisitorInputSchema['~standard'].validate(input);
  const issue = 'issues' in r ? r.issues?.[0] : undefined;
  if (issue) return `invalid ${issue.path?.map((p) => String(typeof p === 'object' ? p.key : p)).join('.')}: ${issue.message}`;
}

/** @internal {@link inputProblem} as a TypeError. */
export function checkInput(input: Parameters<typeof inputProblem>[0]): void {
  const problem = inputProblem(input);
  if (problem) throw new TypeError(problem);
}
