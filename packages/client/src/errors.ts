import type { ClientError } from './types.js';

/**
 * An Error that carries a stable `code`: a relay {@link ErrorCode} string, or one of the
 * client's own codes: `offline` (not connected when a request was made), `disconnected`
 * (the connection dropped before the relay answered), `timeout` (no answer in time),
 * `network` (fetch failed), `bad_response` (the relay's answer was not what the protocol says).
 * It satisfies {@link ClientError}, so it can be shown the same way as `lastError`.
 *
 * @example
 * try { await agent.take(id); }
 * catch (e) { if (e instanceof ParleyError && e.code === 'conflict') toast('Someone else took it'); }
 */
export class ParleyError extends Error implements ClientError {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'ParleyError';
    this.code = code;
  }
}
