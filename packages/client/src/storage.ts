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

/** `fn()`, or `fallback` when it throws. */
function attempt<T>(fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch {
    return fallback;
  }
}

/**
 * Wrap a storage so every access is guarded; `null` gives an in-memory no-op store. A failed
 * read is null; a failed write (quota, access) leaves the value in memory only.
 */
export function safeStorage(storage: KeyValueStorage | null | undefined): SafeStorage {
  return {
    get: (key) => attempt(() => storage?.getItem(key) ?? null, null),
    set: (key, value) => attempt(() => storage?.setItem(key, value), undefined),
    remove: (key) => attempt(() => storage?.removeItem(key), undefined),
  };
}

/** `localStorage` when the platform has one and lets us touch it, else null. */
export function defaultStorage(): KeyValueStorage | null {
  // Reading `localStorage` itself throws in some sandboxed iframes.
  return attempt(() => (globalThis as { localStorage?: KeyValueStorage }).localStorage ?? null, null);
}
