import type { Actor } from '../conversations/index.js';

/** Who joined or left, as {@link SessionRegistry} reports it. */
export type SessionKind = 'agent' | 'visitor';

/** Told when the first session of an id opens on this relay, or the last one closes. */
export type SessionListener = (kind: SessionKind, id: string, online: boolean) => void;

/**
 * A session as the registry holds it: something it can close. The WebSocket connection
 * registers itself (no closure per session: see {@link SessionRegistry.join}).
 */
export interface SessionMember {
  /** End this session (its visitor's data was erased); `reason` goes to the client. */
  closeSession(reason: string): void;
}

/** The key of an actor: its kind and id. */
function keyOf(actor: Actor): readonly [SessionKind, string] {
  return actor.role === 'agent' ? ['agent', actor.agent.id] : ['visitor', actor.visitorId];
}

/**
 * The sessions this relay holds right now, by agent id and visitor id. The gateway adds a
 * session after `welcome` and removes it when the connection ends; presence heartbeats read
 * the ids from here, and erasing a visitor closes their sessions through it. One id may hold
 * several sessions (tabs), so an id is online here while any of them is open.
 *
 * @example
 * const sessions = new SessionRegistry();
 * const leave = sessions.add({ role: 'visitor', visitorId: 'v1' }, (reason) => socket.close(4003, reason));
 * sessions.ids('visitor'); // ['v1']
 * leave();
 */
export class SessionRegistry {
  /**
   * Per id its one session, or a Set when there are several (tabs): one session per id is by
   * far the common case, and a Set per id costs ~200 bytes per connection.
   */
  readonly #byKind: Record<SessionKind, Map<string, SessionMember | Set<SessionMember>>> = { agent: new Map(), visitor: new Map() };
  readonly #listeners = new Set<SessionListener>();
  readonly #onError: (error: unknown) => void;

  constructor(options: { onListenerError?: (error: unknown) => void } = {}) {
    this.#onError = options.onListenerError ?? (() => {});
  }

  /** Register a session; returns the function that removes it (calling it twice is harmless). */
  add(actor: Actor, close: (reason: string) => void): () => void {
    const member: SessionMember = { closeSession: close };
    this.join(actor, member);
    return () => this.leave(actor, member);
  }

  /**
   * Register a session object (the allocation-free form of {@link add}); {@link leave} removes it.
   *
   * @example
   * sessions.join(actor, connection); // connection.closeSession(reason) ends it
   * sessions.leave(actor, connection);
   */
  join(actor: Actor, member: SessionMember): void {
    const [kind, id] = keyOf(actor);
    const map = this.#byKind[kind];
    const entries = map.get(id);
    if (entries === undefined) {
      map.set(id, member);
      this.#emit(kind, id, true);
    } else if (entries instanceof Set) {
      entries.add(member);
    } else if (entries !== member) {
      map.set(id, new Set([entries, member]));
    }
  }

  /** Remove a session {@link join} registered; harmless when it is not registered. */
  leave(actor: Actor, member: SessionMember): void {
    const [kind, id] = keyOf(actor);
    const map = this.#byKind[kind];
    const entries = map.get(id);
    if (entries === member) {
      map.delete(id);
    } else if (entries instanceof Set && entries.delete(member)) {
      if (entries.size > 1) return;
      // Back to one session: store it bare again.
      const [last] = entries;
      if (last !== undefined) map.set(id, last);
      return;
    } else {
      return;
    }
    this.#emit(kind, id, false);
  }

  /** The ids with at least one session here, sorted. */
  ids(kind: SessionKind): string[] {
    return [...this.#byKind[kind].keys()].sort();
  }

  /** Number of open sessions of a kind (tabs counted separately). */
  count(kind: SessionKind): number {
    let n = 0;
    for (const entries of this.#byKind[kind].values()) n += entries instanceof Set ? entries.size : 1;
    return n;
  }

  /** Close every session of one visitor on this relay; returns how many were closed. */
  closeVisitor(visitorId: string, reason: string): number {
    const held = this.#byKind.visitor.get(visitorId);
    const entries = held === undefined ? [] : held instanceof Set ? [...held] : [held];
    for (const entry of entries) {
      try {
        entry.closeSession(reason);
      } catch (error) {
        this.#onError(error);
      }
    }
    return entries.length;
  }

  /** Listen to ids coming online or going offline here; returns the unsubscribe function. */
  onChange(listener: SessionListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(kind: SessionKind, id: string, online: boolean): void {
    // One listener's throw never starves the others, nor the connection that triggered it.
    for (const listener of [...this.#listeners]) {
      try {
        listener(kind, id, online);
      } catch (error) {
        this.#onError(error);
      }
    }
  }
}
