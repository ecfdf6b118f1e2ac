import type { TransportConnection } from './types.js';

/** @internal Close a transport connection that may already be gone (close() then throws). */
export function closeQuietly(c: TransportConnection | null | undefined, code = 1000, reason = ''): void {
  try {
    c?.close(code, reason);
  } catch {
    // Already gone.
  }
}
