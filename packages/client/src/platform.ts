import type { BaseClientOptions } from './types.js';

/** Timer handle as the injected timers return it; opaque to the client. */
export type TimerHandle = unknown;

/** The platform pieces the client uses, normalised once at construction. */
export interface Platform {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  random(): number;
  now(): number;
  /** Where a listener's throw goes (see `BaseClientOptions.onError`). */
  reportError(error: unknown): void;
}

/**
 * Resolve the injected platform with defaults. Timers are called through wrappers, never
 * as `options.timers.setTimeout(...)`: browsers throw "Illegal invocation" when
 * `window.setTimeout` runs with another `this`, and resolving the globals at call time lets
 * test runners that patch them (fake timers) work without injecting anything.
 */
export function resolvePlatform(options: Partial<BaseClientOptions>): Platform {
  const timers = options.timers;
  return {
    setTimeout: (fn, ms) => (timers ?? globalThis).setTimeout.call(globalThis, fn, ms),
    clearTimeout: (h) => (timers ?? globalThis).clearTimeout.call(globalThis, h as Parameters<typeof clearTimeout>[0]),
    random: options.random ?? Math.random,
    now: options.now ?? Date.now,
    reportError: options.onError ?? defaultReportError,
  };
}

function defaultReportError(error: unknown): void {
  // reportError surfaces the error like an uncaught one (console, window.onerror, error
  // trackers) without unwinding our stack.
  const report = (globalThis as { reportError?: (e: unknown) => void }).reportError;
  try {
    if (typeof report === 'function') report(error);
    else console.error(error);
  } catch {
    console.error(error);
  }
}
