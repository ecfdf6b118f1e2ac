/** A relay base URL, checked and split. */
interface RelayBase {
  protocol: 'http:' | 'https:';
  /** host[:port] */
  host: string;
  /** Path prefix without a trailing slash: '' or e.g. '/support'. */
  prefix: string;
}

/**
 * Normalise a relay base URL: must be http(s); trailing slashes go, a path prefix stays
 * (a relay mounted at `https://example.com/chat/` serves `https://example.com/chat/ws`).
 * Throws a TypeError naming the bad value, so a typo fails at construction, not on connect.
 */
export function relayBase(relay: string): RelayBase {
  let url: URL;
  try {
    url = new URL(relay);
  } catch {
    throw new TypeError(`relay must be an absolute http(s) URL, got ${JSON.stringify(relay)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`relay must be an http(s) URL, got ${JSON.stringify(relay)}`);
  }
  // Not via `url.pathname = ...`: for http(s) URLs an empty path reads back as '/'.
  return { protocol: url.protocol, host: url.host, prefix: url.pathname.replace(/\/+$/, '') };
}

/** `http(s)://host/prefix` + `path` -> absolute URL string, keeping the prefix. */
export function relayHttpUrl(relay: string, path: string): string {
  const base = relayBase(relay);
  return `${base.protocol}//${base.host}${base.prefix}${path}`;
}

/**
 * The WebSocket endpoint of a relay: `http` -> `ws`, `https` -> `wss`, path prefix kept.
 *
 * @example
 * relayWebSocketUrl('https://chat.example.com/support/') // 'wss://chat.example.com/support/ws'
 */
export function relayWebSocketUrl(relay: string, path = '/ws'): string {
  const base = relayBase(relay);
  return `${base.protocol === 'https:' ? 'wss:' : 'ws:'}//${base.host}${base.prefix}${path}`;
}
