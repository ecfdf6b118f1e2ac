import type { ErrorCode } from '@parley/protocol';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

/** A language tag as a query parameter (`en`, `zh-Hant`); anything else is ignored. */
export const LANG_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
/** An id as the relay gives them (topics, articles, visitors): anything else cannot name one. */
export const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The JSON body of every HTTP error: `{"error":{"code","message"}}` (SPEC.md). */
export function apiError(code: ErrorCode, message: string) {
  return { error: { code, message } };
}

/**
 * Set headers on the response a handler already returned (in a middleware, after `next()`),
 * in place. Hono's `c.header()` at that point copies the whole response on every call, and
 * on @hono/node-server that turns its light response into a full web `Response` with a body
 * stream. With the `Request` that hono/body-limit builds (see limitBody), that was about a
 * fifth of the relay's CPU per long-poll request (bench/transport.bench.mjs, polling). Every
 * response here is built by the relay itself, so its headers can be changed.
 */
export function setHeaders(c: Context, headers: Readonly<Record<string, string>>): void {
  const target = c.res.headers;
  for (const name in headers) target.set(name, headers[name]!);
}

/**
 * Hono's `bodyLimit`, without its cost when the request says its length: then Node's HTTP
 * parser never reads past `Content-Length`, and the header alone decides. Hono's reads
 * `c.req.raw.body` even for that check, which on @hono/node-server builds a full web
 * `Request` with a body stream for every request; a chunked body still goes through it.
 */
export function limitBody(options: { maxSize: number; onError: (c: Context) => Response | Promise<Response> }): MiddlewareHandler {
  const streamed = bodyLimit(options);
  return async (c, next) => {
    const length = c.req.header('content-length');
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return streamed(c, next);
    if (Number(length) > options.maxSize) return options.onError(c);
    await next();
  };
}
