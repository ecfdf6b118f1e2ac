import type { Actor } from '../conversations/index.js';

/** Who joined or left, as {@link SessionRegistry} reports it. */
export type SessionKind = 'agent' | 'visitor';

/** Told when the first session of an id opens on this relay, or the last one closes. */
export type SessionListener = (kind: SessionKind, id: string, online: boolean) => void;

interface Entry {
  close: (reason: string) => void;
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
  readonly #byKind: Record<SessionKind, Map<string, Set<Entry>>> = { agent: new Map(), visitor: new Map() };
  readonly #listeners = new Set<SessionListener>();
  readonly #onError: (error: unknown) => void;

  constructor(options: { onListenerError?: (error: unknown) => void } = {}) {
    this.#onError = options.onListenerError ?? (() => {});
  }

  /** Register a session; returns the function that removes it (calling it twice is harmless). */
  add(actor: Actor, close: (reason: string) => void): () => void {
    const [kind, id] = actor.role === 'agent' ? (['agent', actor.agent.id] as const) : (['visitor', actor.visitorId] as const);
    const map = this.#byKind[kind];
    let entries = map.get(id);
    const first = !entries;
    if (!entries) map.set(id, (entries = new Set()));
    const entry: Entry = { close };
    entries.add(entry);
    if (first) this.#emit(kind, id, true);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const current = map.get(id);
      if (!current?.delete(entry) || current.size > 0) return;
      map.delete(id);
      this.#emit(kind, id, false);
    };
  }

  /** The ids with at least one session here, sorted. */
  ids(kind: SessionKind): string[] {
    return [...this.#byKind[kind].keys()].sort();
  }

  /** Number of open sessions of a kind (tabs counted separately). */
  count(kind: SessionKind): number {
    let n = 0;
    for (const entries of this.#byKind[kind].values()) n += entries.size;
    return n;
  }

  /** Close every session of one visitor on this relay; returns how many were closed. */
  closeVisitor(visitorId: string, reason: string): number {
    const entries = [...(this.#byKind.visitor.get(visitorId) ?? [])];
    for (const entry of entries) {
      try {
        entry.close(reason);
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
