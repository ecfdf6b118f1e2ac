import type { Presence } from '../bus/index.js';
import type { Logger } from '../logger.js';
import type { SessionKind, SessionRegistry } from './sessions.js';

/** The two presence sets a relay keeps: agent ids and visitor ids with a live session. */
export interface RelayPresence {
  agents: Presence;
  visitors: Presence;
}

/** Options for {@link startPresenceBeat}. */
export interface PresenceBeatOptions {
  sessions: SessionRegistry;
  presence: RelayPresence;
  logger?: Logger;
  /** @default global setInterval / clearInterval */
  timers?: { setInterval(fn: () => void, ms: number): unknown; clearInterval(handle: unknown): void };
}

/** A running heartbeat; `stop` ends it and takes this relay's ids out of presence. */
export interface PresenceBeat {
  /** One heartbeat now (also what the interval runs). */
  beat(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Keep this relay's sessions in shared presence: every `ttl / 3` it heartbeats the agent and
 * visitor ids it holds, so an id survives two lost heartbeats; an id joins at once when its
 * first session opens and leaves at once when its last one closes. A relay that crashes stops
 * heartbeating, so its ids expire within the TTL on every other relay.
 *
 * (A clean disconnect here removes the id even if the same agent is also connected to another
 * relay; that relay's next heartbeat, at most ttl / 3 later, puts it back.)
 *
 * @example
 * const beat = startPresenceBeat({ sessions, presence: { agents, visitors } });
 * await presence.agents.list(); // agents online on any relay
 * await beat.stop();
 */
export function startPresenceBeat(options: PresenceBeatOptions): PresenceBeat {
  const { sessions, presence, logger } = options;
  const timers = options.timers ?? {
    setInterval: (fn: () => void, ms: number) => setInterval(fn, ms).unref(),
    clearInterval: (h: unknown) => clearInterval(h as ReturnType<typeof setInterval>),
  };
  const of = (kind: SessionKind) => (kind === 'agent' ? presence.agents : presence.visitors);
  const report = (error: unknown) => logger?.warn({ err: error }, 'presence update failed');

  const beat = async () => {
    await Promise.all(
      (['agent', 'visitor'] as const).map(async (kind) => {
        const ids = sessions.ids(kind);
        if (ids.length > 0) await of(kind).heartbeat(ids);
      }),
    );
  };
  const off = sessions.onChange((kind, id, online) => {
    void (online ? of(kind).heartbeat(id) : of(kind).remove(id)).catch(report);
  });
  const everyMs = Math.max(100, Math.floor(Math.min(presence.agents.ttlMs, presence.visitors.ttlMs) / 3));
  const handle = timers.setInterval(() => void beat().catch(report), everyMs);
  let stopped = false;

  return {
    beat,
    async stop() {
      if (stopped) return;
      stopped = true;
      off();
      timers.clearInterval(handle);
      // Say goodbye for what is still held, so other relays see it now rather than after the TTL.
      await Promise.all(
        (['agent', 'visitor'] as const).map((kind) => {
          const ids = sessions.ids(kind);
          return ids.length > 0 ? of(kind).remove(ids).catch(report) : undefined;
        }),
      );
    },
  };
}
