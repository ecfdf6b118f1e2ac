/**
 * Presence: which agents or visitor connections are online, across relays. Each relay calls
 * {@link Presence.heartbeat} for the ids it holds every `ttlMs / 3` or so; an id not
 * refreshed within `ttlMs` counts as gone. So when a relay crashes (no chance to say
 * goodbye), its sessions disappear within `ttlMs` at most.
 */

/**
 * Who is online. Ids are free-form; use one Presence per kind (e.g. namespace `agents`,
 * `visitors`) rather than mixing kinds in one.
 *
 * @example
 * await presence.heartbeat(['a1', 'a2']); // every ttl / 3 for the ids this relay holds
 * await presence.list();                  // ['a1', 'a2', ...ids other relays keep alive]
 * await presence.remove('a1');            // on a clean disconnect
 */
export interface Presence {
  /** Mark ids online (or keep them online) until `ttlMs` from now. */
  heartbeat(ids: string | readonly string[]): Promise<void>;
  /** Mark ids offline now (a clean disconnect). Unknown ids are ignored. */
  remove(ids: string | readonly string[]): Promise<void>;
  /** The ids online now, sorted. */
  list(): Promise<string[]>;
  isOnline(id: string): Promise<boolean>;
  /** How long an id stays online without a heartbeat (ms). */
  readonly ttlMs: number;
  close(): Promise<void>;
}

/** Options for {@link MemoryPresence}. */
export interface MemoryPresenceOptions {
  /** How long an id stays online without a heartbeat (ms). @default DEFAULT_PRESENCE_TTL_MS */
  ttlMs?: number;
  /** The clock (epoch ms). @default Date.now */
  now?: () => number;
}

/** Default presence TTL: a crashed relay's sessions vanish within 30 s. */
export const DEFAULT_PRESENCE_TTL_MS = 30_000;

/** Normalise the `string | string[]` argument once. */
export const idList = (ids: string | readonly string[]): readonly string[] => (typeof ids === 'string' ? [ids] : ids);

/** Check a TTL option: a positive whole number of milliseconds. */
export function checkTtl(ttlMs: number): number {
  if (!Number.isInteger(ttlMs) || ttlMs <= 0) throw new Error(`ttlMs must be a positive whole number of ms (got ${ttlMs})`);
  return ttlMs;
}

/**
 * {@link Presence} for a single relay process (the default with InProcessBus).
 *
 * @example
 * const presence = new MemoryPresence({ ttlMs: 30_000 });
 * await presence.heartbeat('a1');
 * await presence.isOnline('a1'); // true for the next 30 s
 */
export class MemoryPresence implements Presence {
  readonly ttlMs: number;
  readonly #now: () => number;
  /** id -> expiry (epoch ms). */
  readonly #expiry = new Map<string, number>();

  constructor(options: MemoryPresenceOptions = {}) {
    this.ttlMs = checkTtl(options.ttlMs ?? DEFAULT_PRESENCE_TTL_MS);
    this.#now = options.now ?? Date.now;
  }

  async heartbeat(ids: string | readonly string[]): Promise<void> {
    const until = this.#now() + this.ttlMs;
    for (const id of idList(ids)) this.#expiry.set(id, until);
  }

  async remove(ids: string | readonly string[]): Promise<void> {
    for (const id of idList(ids)) this.#expiry.delete(id);
  }

  async list(): Promise<string[]> {
    const now = this.#now();
    const out: string[] = [];
    for (const [id, until] of this.#expiry) {
      // Expired entries are dropped when met, so the map never grows with the dead.
      if (until <= now) this.#expiry.delete(id);
      else out.push(id);
    }
    return out.sort();
  }

  async isOnline(id: string): Promise<boolean> {
    const until = this.#expiry.get(id);
    return until !== undefined && until > this.#now();
  }

  async close(): Promise<void> {
    this.#expiry.clear();
  }
}
