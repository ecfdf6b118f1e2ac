import type { ErrorCode } from '@parley/protocol';

/** A language tag as a query parameter (`en`, `zh-Hant`); anything else is ignored. */
export const LANG_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
/** An id as the relay gives them (topics, articles, visitors): anything else cannot name one. */
export const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The JSON body of every HTTP error: `{"error":{"code","message"}}` (SPEC.md). */
export function apiError(code: ErrorCode, message: string) {
  return { error: { code, message } };
}
