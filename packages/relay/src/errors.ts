import { ErrorCode } from '@parley/protocol';

/**
 * An error a client may see: it carries a protocol {@link ErrorCode}. The gateway turns it
 * into an `error` frame; any other exception becomes `internal` and is logged.
 *
 * @example
 * throw new RelayError(ErrorCode.Forbidden, 'not your conversation');
 */
export class RelayError extends Error {
  override readonly name = 'RelayError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}
