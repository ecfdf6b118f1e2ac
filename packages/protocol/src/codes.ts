/**
 * Stable error codes a client can see, in one place. The string values are part of
 * the wire protocol: never rename one, only add. SPEC.md documents each.
 *
 * @example
 * if (frame.type === 'error' && frame.code === ErrorCode.Unauthorized) logout();
 */
export const ErrorCode = {
  /** The frame was not valid JSON. */
  BadJson: 'bad_json',
  /** The frame was JSON but did not match any schema (unknown type, missing field...). */
  BadFrame: 'bad_frame',
  /** The frame (or a field in it) was larger than the protocol allows. */
  TooLarge: 'too_large',
  /** The frame's `v` is a protocol version this peer does not speak. */
  UnsupportedVersion: 'unsupported_version',
  /** A frame other than `hello` arrived before the session was established. */
  NotReady: 'not_ready',
  /** The token is missing, unknown or expired. Log in again / start a new visitor. */
  Unauthorized: 'unauthorized',
  /** The token is valid but does not allow this action on this resource. */
  Forbidden: 'forbidden',
  /** The conversation (or other resource) does not exist. */
  NotFound: 'not_found',
  /** The action conflicts with the current state (e.g. taking a conversation already taken). */
  Conflict: 'conflict',
  /** The conversation is closed and takes no more messages. */
  Closed: 'closed',
  /** Too many frames in too short a time; slow down and resend later. */
  RateLimited: 'rate_limited',
  /** The relay failed; the frame may be resent. */
  Internal: 'internal',
  /** The relay cannot do this now (e.g. e-mail without SMTP settings). */
  Unavailable: 'unavailable',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * WebSocket close codes the relay uses, and whether a client should reconnect.
 * 4000-4999 are application codes (RFC 6455 section 7.4.2).
 */
export const CloseCode = {
  /** Normal closure; reconnect only if the user still wants the chat. */
  Normal: 1000,
  /** The relay is going away (restart, deploy); reconnect with backoff. */
  GoingAway: 1001,
  /** Protocol version not supported: do not reconnect with the same client. */
  UnsupportedVersion: 4001,
  /** The token was refused: do not reconnect with the same token. */
  Unauthorized: 4003,
  /** The peer sent too much, too fast, for too long; reconnect later. */
  RateLimited: 4008,
  /** Did not say hello in time; reconnect. */
  HelloTimeout: 4009,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** True when a close code means "reconnecting with the same credentials will not help". */
export function isTerminalClose(code: number): boolean {
  return code === CloseCode.UnsupportedVersion || code === CloseCode.Unauthorized;
}
