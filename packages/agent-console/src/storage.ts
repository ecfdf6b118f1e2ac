import type { KeyValueStorage } from '@parley/client';

/** The sessionStorage key of the agent's login token. */
export const TOKEN_KEY = 'parley:agent-token';
/** The sessionStorage key of the last seq the agent has seen, per conversation. */
export const SEEN_KEY = 'parley:agent-seen';

/**
 * The page's sessionStorage, or null when the browser refuses it (privacy modes and
 * sandboxed iframes throw on mere access).
 *
 * @example
 * const storage = defaultSessionStorage(); // null in a locked-down iframe
 */
export function defaultSessionStorage(): KeyValueStorage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}

/**
 * Storage that never throws: a full or blocked storage only means the console forgets
 * things on reload, so every failure degrades to "nothing stored".
 *
 * @example
 * const safe = safeStorage(defaultSessionStorage());
 * safe.set(TOKEN_KEY, token); // no throw even if quota is exceeded
 */
export function safeStorage(storage: KeyValueStorage | null) {
  return {
    get(key: string): string | null {
      try {
        return storage?.getItem(key) ?? null;
      } catch {
        return null;
      }
    },
    set(key: string, value: string): void {
      try {
        storage?.setItem(key, value);
      } catch {
        // Quota or privacy mode: keep working, we only lose persistence.
      }
    },
    remove(key: string): void {
      try {
        storage?.removeItem(key);
      } catch {
        // Same as above.
      }
    },
  };
}
/** What {@link safeStorage} returns. */
export type SafeStorage = ReturnType<typeof safeStorage>;
