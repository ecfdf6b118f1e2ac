import type { KeyValueStorage } from './types.js';

/**
 * Storage access that never throws. localStorage throws in private modes, when full,
 * or when a sandboxed iframe forbids it; chat must keep working (just without
 * persistence) in all of those.
 */
export interface SafeStorage {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

/** Wrap a storage so every access is guarded; `null` gives an in-memory no-op store. */
export function safeStorage(storage: KeyValueStorage | null | undefined): SafeStorage {
  return {
    get(key) {
      try {
        return storage?.getItem(key) ?? null;
      } catch {
        return null;
      }
    },
    set(key, value) {
      try {
        storage?.setItem(key, value);
      } catch {
        // Quota or access errors: the value lives on in memory only.
      }
    },
    remove(key) {
      try {
        storage?.removeItem(key);
      } catch {
        // Same as set.
      }
    },
  };
}

/** `localStorage` when the platform has one and lets us touch it, else null. */
export function defaultStorage(): KeyValueStorage | null {
  try {
    const ls = (globalThis as { localStorage?: KeyValueStorage }).localStorage;
    return ls ?? null;
  } catch {
    // Reading `localStorage` itself throws in some sandboxed iframes.
    return null;
  }
}
